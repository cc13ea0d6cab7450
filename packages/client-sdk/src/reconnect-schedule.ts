import { computeAuthReconnectDelay, computeReconnectDelay } from "./backoff.ts";
import type { RetryableFailure } from "./connection.ts";
import type { ResolvedReconnectOptions } from "./connection-options.ts";
import type { StreamStatus } from "./status.ts";

/** How an attempt ended when the stream goes on: why, and whether it received an event first. */
export interface AttemptEnd extends RetryableFailure {
  readonly healthy: boolean;
  /**
   * Set when the stream reconnects for a fresh token (`auth-expired`, a 401 retried): whether it
   * came quickly (the connection lasted less than the reconnection time), so a repeat backs off.
   */
  readonly forToken?: { readonly quick: boolean; readonly expiredAt?: string | undefined };
}

/**
 * The waits between a stream's attempts, from how each ended: the failure backoff (reset by a
 * healthy connection, never twice at once after `retry: 0`), and for a fresh token at once,
 * unless such reconnects keep coming quickly (see `computeAuthReconnectDelay`).
 */
export class ReconnectSchedule {
  readonly #policy: ResolvedReconnectOptions;
  readonly #random: () => number;
  #failures = 0;
  #afterImmediateReconnect = false;
  #tokenStreak = 0;

  constructor(policy: ResolvedReconnectOptions, random: () => number) {
    this.#policy = policy;
    this.#random = random;
  }

  /** The wait after `end`, in milliseconds; `serverRetryMs` is the server's latest `retry:`. */
  delayAfter(end: AttemptEnd, serverRetryMs: number | undefined): number {
    const policy = this.#policy;
    this.#failures = end.healthy ? 0 : this.#failures + 1;
    this.#tokenStreak = end.forToken === undefined ? 0 : end.forToken.quick ? this.#tokenStreak + 1 : 1;
    const delayMs =
      end.forToken === undefined
        ? computeReconnectDelay(
            { failures: this.#failures, afterImmediateReconnect: this.#afterImmediateReconnect, serverRetryMs, retryAfterMs: end.retryAfterMs },
            policy,
            this.#random,
          )
        : computeAuthReconnectDelay(this.#tokenStreak, policy, this.#random);
    this.#afterImmediateReconnect = delayMs < Math.min(policy.minDelayMs, policy.maxDelayMs);
    return delayMs;
  }
}

/** The `reconnecting` status of attempt `attempt` that ended as `end`, before a wait of `delayMs`. */
export function reconnectingStatus(attempt: number, delayMs: number, end: AttemptEnd): StreamStatus {
  const { reason, error, status } = end;
  const expiredAt = end.forToken?.expiredAt;
  return {
    state: "reconnecting",
    attempt,
    delayMs,
    reason,
    error,
    ...(status === undefined ? {} : { status }),
    ...(expiredAt === undefined ? {} : { expiredAt }),
  };
}
