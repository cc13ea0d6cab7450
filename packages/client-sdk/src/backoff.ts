import type { ResolvedReconnectOptions } from "./options.ts";

/** What the next reconnection delay depends on. */
export interface ReconnectDelayInput {
  /** Consecutive failed attempts; 0 when a healthy connection (one that delivered events) dropped. */
  readonly failures: number;
  /** The reconnection time the server set with `retry:`, if it did. */
  readonly serverRetryMs: number | undefined;
  /** The wait the server asked for with `Retry-After`, if it did. */
  readonly retryAfterMs: number | undefined;
}

/**
 * The wait before the next attempt, in milliseconds.
 *
 * - After a healthy connection drops: the reconnection time (the server's `retry:`, else
 *   `initialDelayMs`), as EventSource waits.
 * - After `failures` consecutive failed attempts: full jitter, a random wait between 0 and
 *   `min(maxDelayMs, base * factor ** failures)`, whose mean is the reconnection time at the first failure.
 * - Never less than a `Retry-After` the server sent (which may exceed `maxDelayMs`).
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
  } else {
    const ceiling = Math.min(policy.maxDelayMs, base * policy.factor ** input.failures);
    delay = policy.jitter ? Math.floor(random() * ceiling) : ceiling;
  }
  return Math.max(delay, input.retryAfterMs ?? 0);
}

/**
 * Reads a `Retry-After` header: delay-seconds or an HTTP date. Returns milliseconds, or
 * `undefined` when the header is absent or unreadable.
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
