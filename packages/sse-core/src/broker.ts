import type { EventId, PublishInput, StoredEvent } from "./types.ts";

/** Why a subscriber's requested position could not be covered by history. */
export type GapReason =
  /** The id is well-formed and from this history, but older events were trimmed. */
  | "too-old"
  /** The id is from another epoch (a restart, or a history that was lost). */
  | "other-epoch"
  /** The id cannot be an id of this broker at all. */
  | "malformed"
  /** The id is well-formed but newer than anything this broker has published. */
  | "unknown";

/** Tells a subscriber that events after its `lastEventId` may have been lost. */
export interface GapNotice {
  /** What the subscriber asked to resume after. */
  readonly requestedId: string;
  /** The oldest id still held in history, or undefined when history is empty. */
  readonly oldestId: EventId | undefined;
  readonly reason: GapReason;
}

/** Receives one subscriber's events, in order: the gap notice (if any), replay, then live. */
export interface SubscriberHandlers {
  /** Called for every replayed and every live event, strictly in id order, never twice. */
  onEvent(event: StoredEvent): void;
  /** Called at most once, before any replayed event, when history cannot cover `lastEventId`. */
  onGap?(gap: GapNotice): void;
  /** Called once when the broker ends this subscription (broker closed or failed for good). */
  onClose?(): void;
}

/** Where a subscription starts. */
export interface SubscribeOptions {
  /** Resume after this id (a client's Last-Event-ID). Omitted or `""`: only live events. */
  readonly lastEventId?: string;
}

/**
 * The id a subscriber resumes after, or undefined for none. An empty id means none, as with
 * EventSource, which sends no Last-Event-ID while its last event id is empty. Every broker
 * decides it here, so callers pass what the client sent as it is.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#the-last-event-id-header
 */
export function normalizeLastEventId(lastEventId: string | undefined): string | undefined {
  return lastEventId === "" ? undefined : lastEventId;
}

/** A live subscription. */
export interface Subscription {
  /**
   * The position this subscription continues from, valid as a Last-Event-ID, so a client
   * holds a resume cursor before its first event:
   * - resuming from an id history covers: that id;
   * - connecting fresh: the newest id, or the broker's origin id when history is empty;
   * - after a gap (everything held is replayed): the broker's origin id, the id that sorts
   *   before every event of the current history (`<epoch>-0` in memory, `0-0` in Redis).
   */
  readonly cursor: EventId;
  /** How many events were replayed from history before live delivery started. */
  readonly replayed: number;
  /** The gap notice delivered to `onGap`, if there was one. */
  readonly gap: GapNotice | undefined;
  /** Stops delivery at once. Idempotent. */
  unsubscribe(): void;
}

/** A broker's own view of whether it can store events now (for `/healthz`). */
export interface BrokerHealth {
  /** False while publishes would fail (e.g. Redis unreachable). */
  readonly ok: boolean;
  /** One line for operators, e.g. "memory: 120 events in history" or "redis: reconnecting (ECONNREFUSED)". */
  readonly detail: string;
}

/**
 * Stores events in a bounded, ordered history and fans them out to subscribers.
 * `MemoryBroker` is the embedded default; `RedisBroker` (server package) shares one
 * history between server nodes.
 */
export interface Broker {
  /**
   * Stores an event and delivers it to every subscriber; resolves once it is in history.
   * With an `idempotencyKey` seen within the broker's idempotency window it stores and
   * delivers nothing and resolves with the first event: its `id` always, its `event` and
   * `data` while history still holds it (after that, this input's).
   * Rejects with `SseError` code `BROKER_UNAVAILABLE` when the event was surely not stored
   * (never resolves for an event that was not stored), `PUBLISH_UNCONFIRMED` when the broker
   * cannot tell (a command sent but not answered in time: it may be stored later; retry with
   * the same `idempotencyKey`), and `BROKER_CLOSED` after `close()`.
   */
  publish(input: PublishInput): Promise<StoredEvent>;
  /**
   * {@link Broker.publish} without the promise, offered by a broker that stores at once (the
   * in-memory one): a caller that answers right after storing skips a promise per event.
   * Throws what `publish` would reject with. Optional: callers fall back to `publish`.
   */
  publishSync?(input: PublishInput): StoredEvent;
  /**
   * Subscribes from an optional last event id. Replay and the gap notice are delivered
   * through `handlers` before this resolves; live events follow with no hole and no
   * duplicate between the two, even while publishes race the subscribe.
   */
  subscribe(handlers: SubscriberHandlers, options?: SubscribeOptions): Promise<Subscription>;
  /** The number of current subscriptions on this broker instance (this node). */
  readonly subscriberCount: number;
  /** Whether the broker can store events now. */
  health(): BrokerHealth;
  /** Ends every subscription (calling their `onClose`) and refuses further publishes. */
  close(): Promise<void>;
}
