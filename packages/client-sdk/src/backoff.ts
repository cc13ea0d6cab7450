import type { ResolvedReconnectOptions } from "./connection-options.ts";

/**
 * The longest the stream ever waits before reconnecting, in milliseconds: 24 hours, whatever
 * `Retry-After` asks for. Also keeps every delay below `setTimeout`'s limit (2^31 - 1 ms),
 * past which runtimes fire the timer after 1 ms instead.
 */
export const MAX_RECONNECT_DELAY_MS = 86_400_000;

/** What the next reconnection delay depends on. */
export interface ReconnectDelayInput {
  /** Consecutive failed attempts; 0 when a healthy connection (one that received an event) dropped. */
  readonly failures: number;
  /**
   * Whether the attempt that just ended was itself a reconnect at once (made after a wait
   * shorter than the floor): then a healthy drop waits at least the floor, so `retry: 0`
   * never reconnects at once twice in a row.
   */
  readonly afterImmediateReconnect: boolean;
  /** The reconnection time the server set with `retry:`, if it did. */
  readonly serverRetryMs: number | undefined;
  /** The wait the server asked for with `Retry-After`, if it did. */
  readonly retryAfterMs: number | undefined;
}

/**
 * The wait before the next attempt, in milliseconds: always a finite number between 0 and
 * {@link MAX_RECONNECT_DELAY_MS}.
 *
 * - After a healthy connection drops: the reconnection time (the server's `retry:`, else
 *   `initialDelayMs`), at most `maxDelayMs`, as EventSource waits. `retry: 0` reconnects at
 *   once, but not twice in a row: the next healthy drop waits at least `minDelayMs`.
 * - After `failures` consecutive failed attempts: full jitter, a random wait below the
 *   ceiling `min(maxDelayMs, base × factor^failures)` (whose mean is the reconnection time at
 *   the first failure), but never below the floor `min(maxDelayMs, minDelayMs × factor^failures)`,
 *   so even `retry: 0` backs off.
 * - Never less than a `Retry-After` the server sent (which may exceed `maxDelayMs`), and never
 *   more than {@link MAX_RECONNECT_DELAY_MS}.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#reestablish-the-connection
 */
export function computeReconnectDelay(
  input: ReconnectDelayInput,
  policy: ResolvedReconnectOptions,
  random: () => number,
): number {
  const base = input.serverRetryMs ?? policy.initialDelayMs;
  let delay: number;
  if (input.failures <= 0) {
    delay = Math.min(base, policy.maxDelayMs);
    if (input.afterImmediateReconnect) delay = Math.max(delay, Math.min(policy.minDelayMs, policy.maxDelayMs));
  } else {
    // factor ** failures reaches Infinity after ~1,024 failures, and 0 × Infinity is NaN: keep it finite.
    const growth = Math.min(policy.factor ** input.failures, Number.MAX_VALUE);
    const ceiling = Math.min(policy.maxDelayMs, base * growth);
    const floor = Math.min(policy.maxDelayMs, policy.minDelayMs * growth);
    delay = Math.max(floor, policy.jitter ? Math.floor(random() * ceiling) : ceiling);
  }
  return Math.min(Math.max(delay, input.retryAfterMs ?? 0), MAX_RECONNECT_DELAY_MS);
}

/**
 * The wait before reconnecting for a fresh token (after `auth-expired`, or a 401 retried with a
 * new token), the `streak`-th such reconnect in a row that came quickly: the first at once
 * (the stream resumes where it was), every repeat with the failure backoff from
 * `minDelayMs × factor`, so a server that keeps refusing the tokens is not hammered.
 */
export function computeAuthReconnectDelay(streak: number, policy: ResolvedReconnectOptions, random: () => number): number {
  if (streak <= 1) return 0;
  return computeReconnectDelay({ failures: streak - 1, afterImmediateReconnect: false, serverRetryMs: undefined, retryAfterMs: undefined }, policy, random);
}

/**
 * Reads a `Retry-After` header: delay-seconds or an HTTP date. Returns milliseconds, or
 * `undefined` when the header is absent or unreadable. Not clamped: {@link computeReconnectDelay} is.
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // All three HTTP-date forms start with a day name; Date.parse alone takes "-5" as a year.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
