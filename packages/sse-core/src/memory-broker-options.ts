/** The options of {@link MemoryBroker} and their defaults. */
import { DEFAULT_EVENT_HISTORY_OPTIONS } from "./history.ts";
import type { IdempotencyOptions } from "./idempotency-keys.ts";

/**
 * Options of {@link MemoryBroker}; `idempotencyWindowMs` (default 600000 ms) and
 * `maxIdempotencyKeys` (default 100000) bound the idempotency keys remembered.
 */
export interface MemoryBrokerOptions extends IdempotencyOptions {
  /** The most events kept for replay per topic. Positive integer. @default 1000 (events) */
  readonly historySize?: number | undefined;
  /**
   * The most bytes of encoded frames kept in history by the whole broker (an event held by
   * several topics counts once per topic); the least recently published topics lose their
   * oldest events first. Positive integer. @default 8388608 (8 MiB)
   */
  readonly historyBytes?: number | undefined;
  /** The longest an event is kept for replay, or `false` for no age limit. Positive integer. @default false */
  readonly historyTtlMs?: number | false | undefined;
  /**
   * The most topics whose history is kept; beyond it the least recently published topic is
   * evicted (a client resuming on it gets a gap). Positive integer. @default 10000 (topics)
   */
  readonly maxRetainedTopics?: number | undefined;
  /**
   * The epoch part of every id (ms since 1970): the moment this history was born, so ids
   * are unique across restarts. Non-negative integer. @default clock() at construction
   */
  readonly epoch?: number | undefined;
  /** Milliseconds now, for history age and idempotency key expiry (tests pass a manual clock). @default Date.now */
  readonly clock?: (() => number) | undefined;
  /**
   * Called when a subscriber's `onEvent`/`onClose` throws; delivery to the other
   * subscribers goes on either way. @default ignore the error
   */
  readonly onSubscriberError?: ((error: unknown) => void) | undefined;
}

/** Defaults of {@link MemoryBrokerOptions} (`epoch` defaults to `Date.now()` at construction). */
export const DEFAULT_MEMORY_BROKER_OPTIONS: Readonly<{
  historySize: number;
  historyBytes: number;
  historyTtlMs: false;
  maxRetainedTopics: number;
}> = Object.freeze({
  historySize: DEFAULT_EVENT_HISTORY_OPTIONS.maxEvents,
  historyBytes: DEFAULT_EVENT_HISTORY_OPTIONS.maxBytes,
  historyTtlMs: false,
  maxRetainedTopics: 10_000,
});
