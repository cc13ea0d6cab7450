import type { EventId, PublishInput, StoredEvent } from "./types.ts";
// For the JSDoc links.
import type { MAX_PUBLISH_TOPICS } from "./topic.ts";

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
  /** The oldest id still held in the history of the affected topics, or undefined when none is held. */
  readonly oldestId: EventId | undefined;
  readonly reason: GapReason;
  /**
   * The subscribed topics and patterns (as subscribed) whose history cannot cover
   * `requestedId`: every one of them for `other-epoch`, `malformed` and `unknown`; for
   * `too-old`, those that lost events after it (trimmed, expired or evicted).
   */
  readonly topics: readonly string[];
}

/** What a subscription starts with, told to {@link SubscriberHandlers.onOpen} before any event. */
export interface SubscriptionOpening {
  /** Where the subscription continues from (see {@link Subscription.cursor}). */
  readonly cursor: EventId;
  /** How many events are replayed right after this call, before live events. */
  readonly replayed: number;
  /** Set when history cannot cover the requested `lastEventId`. */
  readonly gap: GapNotice | undefined;
}

/** Receives one subscriber's events, in order: the opening, replay, then live. */
export interface SubscriberHandlers {
  /**
   * Called once, before any event, when the subscription's position is known: a stream writes
   * its opening frames here, so replay and live events that follow can be written as they come.
   */
  onOpen?(opening: SubscriptionOpening): void;
  /**
   * Called for every replayed and every live event, strictly in id order, never twice (an event
   * published to several subscribed topics comes once). `topic` is the first of `event.topics`
   * this subscription matches: the topic the subscriber got it through.
   */
  onEvent(event: StoredEvent, topic: string): void;
  /** Called once when the broker ends this subscription (broker closed or failed for good). */
  onClose?(): void;
}

/** Where a subscription starts and what it follows. */
export interface SubscribeOptions {
  /** Resume after this id (a client's Last-Event-ID). Omitted or `""`: only live events. */
  readonly lastEventId?: string | undefined;
  /**
   * Topic names and patterns (`orders/42`, `users/7/*`, `*`) to follow; duplicates ignored.
   * Events of every matching topic arrive in one id order.
   * @default [DEFAULT_TOPIC] ("events")
   */
  readonly topics?: readonly string[] | undefined;
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
  /** The gap notice given to `onOpen`, if there was one. */
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
   * Stores an event in the history of each of its topics (`input.topics`, default the default
   * topic) and delivers it to every subscriber of those topics; resolves once it is in history.
   * With an `idempotencyKey` seen within the broker's idempotency window it stores and
   * delivers nothing and resolves with the first event: its `id` always, its `event` and
   * `data` while history still holds it (after that, this input's).
   * Rejects with `SseError` code `BROKER_UNAVAILABLE` when the event was surely not stored
   * (never resolves for an event that was not stored), `PUBLISH_UNCONFIRMED` when the broker
   * cannot tell (a command sent but not answered in time: it may be stored later; retry with
   * the same `idempotencyKey`), and `BROKER_CLOSED` after `close()`; throws or rejects with
   * `INVALID_TOPIC` for a topic that is not a name (patterns included) or a list that is empty
   * or longer than {@link MAX_PUBLISH_TOPICS}.
   */
  publish(input: PublishInput): Promise<StoredEvent>;
  /**
   * {@link Broker.publish} without the promise, offered by a broker that stores at once (the
   * in-memory one): a caller that answers right after storing skips a promise per event.
   * Throws what `publish` would reject with. Optional: callers fall back to `publish`.
   */
  publishSync?(input: PublishInput): StoredEvent;
  /**
   * Stores several events atomically, all or none, and resolves with them in input order:
   * every input is checked first (a bad one rejects with what {@link Broker.publish} would
   * throw for it, and nothing is stored), then all are stored in one step, with consecutive
   * ids (no other publish between them, on any node), and delivered to each subscriber in
   * order. An input may not carry an `idempotencyKey` (rejects with `INVALID_OPTION`): a key
   * names one event. An empty list stores nothing and resolves with `[]`. Rejects like
   * `publish` when the broker cannot store them (`BROKER_UNAVAILABLE`: none stored;
   * `PUBLISH_UNCONFIRMED`: all or none may be stored). Optional: a broker written before it
   * still compiles; the server then refuses a batch instead of storing it piecemeal.
   */
  publishBatch?(inputs: readonly PublishInput[]): Promise<StoredEvent[]>;
  /** {@link Broker.publishBatch} without the promise, for a broker that stores at once (see `publishSync`). */
  publishBatchSync?(inputs: readonly PublishInput[]): StoredEvent[];
  /**
   * Subscribes to `options.topics` from an optional last event id. `onOpen`, then the replay
   * (every missed event of every subscribed topic, in id order, once) are delivered through
   * `handlers` before this resolves; live events follow with no hole and no duplicate between
   * the two, even while publishes race the subscribe. Rejects with `INVALID_TOPIC_PATTERN`
   * for a topic that is neither a name nor a pattern, or an empty list.
   */
  subscribe(handlers: SubscriberHandlers, options?: SubscribeOptions): Promise<Subscription>;
  /** The number of current subscriptions on this broker instance (this node). */
  readonly subscriberCount: number;
  /** Whether the broker can store events now. */
  health(): BrokerHealth;
  /** Ends every subscription (calling their `onClose`) and refuses further publishes. */
  close(): Promise<void>;
}
