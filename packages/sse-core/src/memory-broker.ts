import { type Broker, type BrokerHealth, normalizeLastEventId, type SubscribeOptions, type SubscriberHandlers, type Subscription } from "./broker.ts";
import { SseError, describeValue } from "./errors.ts";
import { formatEventId } from "./event-id.ts";
import { IdempotencyKeys } from "./idempotency-keys.ts";
import { DEFAULT_MEMORY_BROKER_OPTIONS, type MemoryBrokerOptions } from "./memory-broker-options.ts";
import { MemorySubscription, type Subscriber } from "./memory-subscription.ts";
import { positiveInteger } from "./options.ts";
import { resolvePublishBatch } from "./publish-batch.ts";
import { planReplay, type ReplayPlan } from "./replay-plan.ts";
import { createStoredEvent } from "./stored-event.ts";
import { matchesTopic, resolvePublishTopics, resolveSubscribeTopics, subscriptionPatterns, type SubscribedTopic } from "./topic.ts";
import { TopicIndex } from "./topic-index.ts";
import { TopicStore } from "./topic-store.ts";
import type { EventId, PublishInput, StoredEvent } from "./types.ts";

/**
 * The embedded broker: one process, a history per topic bounded by count and age, and by
 * bytes and retained topics for the whole broker.
 *
 * Ids are `<epoch base36>-<sequence>` ({@link formatEventId}), one sequence for every topic,
 * so one Last-Event-ID resumes a subscription to any set of topics. Publish and subscribe run
 * synchronously up to their returned promise, so replay and registration happen with no
 * publish in between: no hole and no duplicate between replay and live. Fan-out walks only
 * the subscribers of the event's topics ({@link TopicIndex}) and hands each the same bytes.
 *
 * @example
 * ```ts
 * const broker = new MemoryBroker({ historySize: 500 });
 * await broker.subscribe({ onEvent: (event, topic) => console.log(topic, event.id, event.data) }, { topics: ["orders/*"] });
 * await broker.publish({ topics: ["orders/42"], event: "order.updated", data: JSON.stringify({ status: "paid" }) });
 * ```
 */
export class MemoryBroker implements Broker {
  /** The epoch part of this broker's ids. */
  readonly epoch: number;
  /** The id that sorts before every event of this broker (`<epoch>-0`). */
  readonly origin: EventId;
  readonly #store: TopicStore;
  readonly #clock: () => number;
  /** `<epoch base36>-`: every id is this plus the sequence, as {@link formatEventId} writes it. */
  readonly #idPrefix: string;
  readonly #subscribers = new TopicIndex<Subscriber>();
  readonly #onSubscriberError: (error: unknown) => void;
  /** Idempotency key → the sequence and first topic of the event its first publish stored. */
  readonly #keys: IdempotencyKeys<{ sequence: number; topic: string }>;
  #sequence = 0;
  #closed = false;
  /** The event being fanned out, for {@link #deliver} (a pre-bound arrow: no closure per publish). */
  #fanOutEvent: StoredEvent | undefined;
  #fanOutTopic = "";
  #fanOutSequence = 0;
  /** Hands the event being fanned out to `subscriber` (an arrow, not a method: one call less per subscriber). */
  readonly #deliver = (subscriber: Subscriber): void => {
    // Registered by a handler during this fan-out: it already got the event from replay.
    if (this.#fanOutSequence <= subscriber.after) return;
    const event = this.#fanOutEvent as StoredEvent;
    if (subscriber.pending !== undefined) {
      subscriber.pending.push({ event, topic: this.#fanOutTopic });
      return;
    }
    try {
      subscriber.handlers.onEvent(event, this.#fanOutTopic);
    } catch (error) {
      // One broken subscriber must not stop delivery to the others.
      this.#onSubscriberError(error);
    }
  };

  /** @throws {SseError} `INVALID_OPTION` when an option is out of range. */
  constructor(options: MemoryBrokerOptions = {}) {
    const clock = options.clock ?? Date.now;
    const epoch = options.epoch ?? clock();
    if (!Number.isSafeInteger(epoch) || epoch < 0) {
      throw new SseError(
        "INVALID_OPTION",
        `epoch must be a non-negative integer of milliseconds since 1970 (got ${describeValue(epoch)}); omit it to use Date.now()`,
      );
    }
    this.epoch = epoch;
    this.origin = formatEventId(epoch, 0);
    this.#idPrefix = this.origin.slice(0, -1);
    this.#clock = clock;
    const ttl = options.historyTtlMs ?? false;
    this.#store = new TopicStore({
      maxEventsPerTopic: positiveInteger("MemoryBroker historySize", options.historySize, DEFAULT_MEMORY_BROKER_OPTIONS.historySize),
      maxBytes: positiveInteger("MemoryBroker historyBytes", options.historyBytes, DEFAULT_MEMORY_BROKER_OPTIONS.historyBytes),
      maxTopics: positiveInteger(
        "MemoryBroker maxRetainedTopics",
        options.maxRetainedTopics,
        DEFAULT_MEMORY_BROKER_OPTIONS.maxRetainedTopics,
      ),
      ttlMs: ttl === false ? undefined : positiveInteger("MemoryBroker historyTtlMs", ttl, 1),
    });
    this.#keys = new IdempotencyKeys({ ...options, clock, owner: "MemoryBroker" });
    this.#onSubscriberError = options.onSubscriberError ?? ignore;
  }

  /** The number of current subscriptions. */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** How many events history holds now, counted once per topic holding them. */
  get historyLength(): number {
    return this.#store.size;
  }

  /** How many topics have a history held now. */
  get retainedTopics(): number {
    return this.#store.topicCount;
  }

  /** How many topics were evicted (by `maxRetainedTopics`, `historyBytes` or age) since start. */
  get topicEvictions(): number {
    return this.#store.evictions;
  }

  /**
   * Stores an event and delivers it to every subscriber of its topics; with an
   * `idempotencyKey` seen within the window, stores nothing and resolves with the first event
   * (see {@link publishSync}). Rejects with `BROKER_CLOSED` after {@link close},
   * `INVALID_TOPIC` for bad `topics`, and `INVALID_EVENT_NAME` when `input.event` contains CR or LF.
   */
  publish(input: PublishInput): Promise<StoredEvent> {
    // Not an async function: storing is synchronous, and the trigger path pays for every
    // promise (bench/NOTES.md). A throw still becomes a rejection.
    try {
      return Promise.resolve(this.publishSync(input));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * {@link publish} without the promise: stores the event in each of its topics, delivers it
   * to every subscriber of those topics (once each) and returns it. With an `idempotencyKey`
   * seen within `idempotencyWindowMs` (and not yet forgotten past `maxIdempotencyKeys`) it
   * stores and delivers nothing and returns the first event: from history while held, else
   * with its id and this input's `event`, `data` and `topics`. Check and store are one
   * synchronous step, so two publishes with one key never both store.
   * @throws {SseError} `BROKER_CLOSED` after {@link close}; `INVALID_TOPIC` for bad `topics`;
   *   `INVALID_EVENT_NAME` when `input.event` contains CR or LF.
   */
  publishSync(input: PublishInput): StoredEvent {
    if (this.#closed) throw closedError();
    const topics = resolvePublishTopics(input.topics);
    const key = input.idempotencyKey;
    if (key !== undefined) {
      const first = this.#keys.get(key);
      if (first !== undefined) return this.#storedAt(first.sequence, first.topic, input, topics);
    }
    const sequence = this.#sequence + 1;
    // One concatenation rather than formatEventId's checks and base36 conversion per publish:
    // the epoch was checked at construction and the sequence is a counter from 0.
    const stored = createStoredEvent(this.#idPrefix + sequence, input.event ?? "message", input.data, topics);
    this.#sequence = sequence;
    this.#store.append(sequence, stored, this.#store.ttlMs === undefined ? 0 : this.#clock());
    if (key !== undefined) this.#keys.remember(key, { sequence, topic: topics[0] as string });
    this.#fanOut(stored, sequence);
    return stored;
  }

  /**
   * Stores several events atomically and delivers them, in order (see {@link publishBatchSync}).
   * Rejects as `publishBatchSync` throws.
   */
  publishBatch(inputs: readonly PublishInput[]): Promise<StoredEvent[]> {
    try {
      return Promise.resolve(this.publishBatchSync(inputs));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Stores several events in one synchronous step, all or none, with consecutive ids, then
   * delivers them to every subscriber of their topics in order, and returns them in input
   * order. Every input is checked before anything is stored; delivery starts once all are
   * stored, so a subscriber's handler publishing meanwhile gets an id after the whole batch.
   * @throws {SseError} `BROKER_CLOSED` after {@link close}; `INVALID_TOPIC`, `INVALID_EVENT_NAME`
   *   (the message names the input's index) or `INVALID_OPTION` (an input with an
   *   `idempotencyKey`) with nothing stored.
   */
  publishBatchSync(inputs: readonly PublishInput[]): StoredEvent[] {
    if (this.#closed) throw closedError();
    const resolved = resolvePublishBatch(inputs);
    const first = this.#sequence + 1;
    const stored = resolved.map(({ event, data, topics }, index) => createStoredEvent(this.#idPrefix + (first + index), event, data, topics));
    const now = this.#store.ttlMs === undefined ? 0 : this.#clock();
    this.#sequence = first + stored.length - 1;
    for (let index = 0; index < stored.length; index++) this.#store.append(first + index, stored[index] as StoredEvent, now);
    for (let index = 0; index < stored.length; index++) this.#fanOut(stored[index] as StoredEvent, first + index);
    return stored;
  }

  /**
   * Subscribes to `options.topics` from an optional last event id: calls `onOpen`, delivers
   * the replay through `handlers` before the promise resolves, then live events.
   * Rejects with `BROKER_CLOSED` after {@link close} and `INVALID_TOPIC_PATTERN` for bad `topics`.
   */
  async subscribe(handlers: SubscriberHandlers, options: SubscribeOptions = {}): Promise<Subscription> {
    if (this.#closed) throw closedError();
    const subscribed = resolveSubscribeTopics(options.topics);
    const { gap, cursor, replay } = this.#plan(normalizeLastEventId(options.lastEventId), subscribed);
    const subscriber: Subscriber = { handlers, subscribed, after: this.#sequence, pending: [] };
    this.#subscribers.add(subscriber, subscriptionPatterns(subscribed));
    try {
      handlers.onOpen?.({ cursor, replayed: replay.length, gap });
      for (const event of replay) handlers.onEvent(event, deliveryTopic(event, subscribed));
      // Events published by the handlers themselves while replaying, in order.
      const pending = subscriber.pending as { event: StoredEvent; topic: string }[];
      for (let index = 0; index < pending.length; index += 1) {
        const { event, topic } = pending[index] as { event: StoredEvent; topic: string };
        handlers.onEvent(event, topic);
      }
    } catch (error) {
      this.#subscribers.remove(subscriber);
      throw error;
    } finally {
      subscriber.pending = undefined;
    }
    return new MemorySubscription(cursor, replay.length, gap, this.#subscribers, subscriber);
  }

  /** `ok` until closed; `detail` says how much history is held. */
  health(): BrokerHealth {
    if (this.#closed) return { ok: false, detail: "memory: closed" };
    return {
      ok: true,
      detail: `memory: ${this.#store.size} events (${this.#store.bytes} bytes) in history over ${this.#store.topicCount} topics, ${this.#subscribers.size} subscribers`,
    };
  }

  /** Ends every subscription (calling its `onClose`), drops history and refuses further publishes. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const subscribers: Subscriber[] = [];
    this.#subscribers.forEachEntry((subscriber) => subscribers.push(subscriber));
    for (const subscriber of subscribers) this.#subscribers.remove(subscriber);
    this.#store.clear();
    for (const subscriber of subscribers) {
      try {
        subscriber.handlers.onClose?.();
      } catch (error) {
        this.#onSubscriberError(error);
      }
    }
  }

  /** Hands `event` to every subscriber of its topics, once each, through the first topic it matches. */
  #fanOut(event: StoredEvent, sequence: number): void {
    // No walk for a node with no subscriber (a trigger nobody listens to here).
    if (this.#subscribers.size === 0) return;
    // Saved and restored: a subscriber's handler may publish (re-entrantly) while we walk.
    const saved = [this.#fanOutEvent, this.#fanOutTopic, this.#fanOutSequence] as const;
    this.#fanOutEvent = event;
    this.#fanOutSequence = sequence;
    try {
      const { topics } = event;
      // One topic (the usual case): the index visits each subscriber once, no stamp needed.
      if (topics.length === 1) {
        this.#fanOutTopic = topics[0] as string;
        this.#subscribers.forEachMatch(this.#fanOutTopic, this.#deliver);
      } else {
        // Collected before any handler runs: a handler that publishes (re-entrantly) while we
        // deliver cannot make a subscriber of two of these topics get this event twice.
        const targets = new Map<Subscriber, string>();
        for (const topic of topics) {
          this.#subscribers.forEachMatch(topic, (subscriber) => {
            if (!targets.has(subscriber)) targets.set(subscriber, topic);
          });
        }
        for (const [subscriber, topic] of targets) {
          // Unsubscribed by a handler meanwhile: delivery stops at once.
          if (!this.#subscribers.has(subscriber)) continue;
          this.#fanOutTopic = topic;
          this.#deliver(subscriber);
        }
      }
    } finally {
      [this.#fanOutEvent, this.#fanOutTopic, this.#fanOutSequence] = saved;
    }
  }

  /** The event stored at `sequence`: from history while held, else rebuilt with its id from `input`. */
  #storedAt(sequence: number, topic: string, input: PublishInput, topics: readonly string[]): StoredEvent {
    return this.#store.find(topic, sequence) ?? createStoredEvent(this.#idPrefix + sequence, input.event ?? "message", input.data, topics);
  }

  /** What a subscriber of `subscribed` resuming after `lastEventId` gets, from this broker's history. */
  #plan(lastEventId: string | undefined, subscribed: readonly SubscribedTopic[]): ReplayPlan {
    const history = { store: this.#store, epoch: this.epoch, origin: this.origin, sequence: this.#sequence, clock: this.#clock };
    return planReplay(history, lastEventId, subscribed);
  }
}

/** The first of `event.topics` that `subscribed` matches: the topic the subscriber gets it through. */
function deliveryTopic(event: StoredEvent, subscribed: readonly SubscribedTopic[]): string {
  const { topics } = event;
  if (topics.length > 1) {
    for (const topic of topics) {
      if (subscribed.some((entry) => matchesTopic(entry.pattern, topic))) return topic;
    }
  }
  return topics[0] as string;
}

function closedError(): SseError {
  return new SseError("BROKER_CLOSED", "the broker is closed; create a new broker to publish or subscribe again");
}

function ignore(): void {}
