import type { SubscriberHandlers, Subscription, SubscriptionOpening } from "./broker.ts";
import { RemoteSubscriber } from "./remote-subscriber.ts";
import { type SubscribedTopic, subscriptionPatterns } from "./topic.ts";
import { TopicIndex } from "./topic-index.ts";
import type { StoredEvent } from "./types.ts";

/** Options of a {@link RemoteFanOut}. */
export interface RemoteFanOutOptions<Position> {
  /** Orders two positions in the history: negative when `a` comes first, 0 when equal, positive after. */
  readonly compare: (a: Position, b: Position) => number;
  /** How many recently fanned-out events are kept by id for replays to reuse (the broker's `historySize`). */
  readonly recentSize: number;
  /** Gets what a subscriber's `onEvent` (live) or `onClose` throws. */
  readonly onError: (error: unknown) => void;
}

/**
 * A remote broker's local subscribers (Redis, Postgres: one node's share of a shared
 * history): it fans each event its reader reads out to the subscribers whose topics match,
 * once per subscriber however many of the event's topics match, through the first it
 * matches. A subscriber registered before its replay is read buffers the live events that
 * arrive meanwhile (see {@link RemoteSubscriber.goLive}), so the replay and live events
 * meet with no hole and no duplicate. It also keeps the recently fanned-out events by id, so
 * a replay reuses their objects (and their encoded frames) instead of building them again.
 * `Position` is the broker's place in its history (a stream id, a transaction and sequence).
 *
 * @example
 * ```ts
 * const fanOut = new RemoteFanOut<bigint>({ compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0), recentSize: 1000, onError });
 * const subscriber = fanOut.add(handlers, resolveSubscribeTopics(["orders/*"]));
 * // ...read and deliver the replay, up to position `through`...
 * for (const buffered of subscriber.goLive({ after: through })) subscriber.deliver(buffered.event, buffered.topic, buffered.position);
 * fanOut.fanOut(event, position); // for each event the broker's reader reads
 * ```
 */
export class RemoteFanOut<Position> {
  readonly #options: RemoteFanOutOptions<Position>;
  readonly #subscribers = new Set<RemoteSubscriber<Position>>();
  readonly #index = new TopicIndex<RemoteSubscriber<Position>>();
  readonly #recent = new Map<string, StoredEvent>();
  #round = 0;

  constructor(options: RemoteFanOutOptions<Position>) {
    this.#options = options;
  }

  /** The number of subscribers. */
  get size(): number {
    return this.#subscribers.size;
  }

  /** Registers a subscriber before its replay is read: live events arriving meanwhile wait behind it. */
  add(handlers: SubscriberHandlers, subscribed: readonly SubscribedTopic[]): RemoteSubscriber<Position> {
    const { compare, onError } = this.#options;
    const subscriber = new RemoteSubscriber<Position>(handlers, compare, onError);
    this.#subscribers.add(subscriber);
    this.#index.add(subscriber, subscriptionPatterns(subscribed));
    return subscriber;
  }

  /** Unregisters a subscriber; nothing happens when it is not registered. */
  remove(subscriber: RemoteSubscriber<Position>): void {
    this.#subscribers.delete(subscriber);
    this.#index.remove(subscriber);
  }

  /** The subscriber's {@link Subscription}: its opening, and `unsubscribe` removes it. */
  subscription(subscriber: RemoteSubscriber<Position>, opening: SubscriptionOpening): Subscription {
    return { ...opening, unsubscribe: (): void => this.remove(subscriber) };
  }

  /** Delivers a live event to every matching subscriber (and remembers it). */
  fanOut(event: StoredEvent, position: Position): void {
    this.remember(event);
    const round = ++this.#round;
    // The event's topics in publish order: a subscriber is reached through the first it matches.
    for (const topic of event.topics) {
      this.#index.forEachMatch(topic, (subscriber) => subscriber.offer(round, event, topic, position));
    }
  }

  /** A recently fanned-out (or remembered) event, by id. */
  recent(id: string): StoredEvent | undefined {
    return this.#recent.get(id);
  }

  /** Keeps `event` among the recent ones, forgetting the oldest past `recentSize`. */
  remember(event: StoredEvent): void {
    this.#recent.set(event.id, event);
    if (this.#recent.size > this.#options.recentSize) this.#recent.delete(this.#recent.keys().next().value as string);
  }

  /** Forgets every recent event (their ids now name other events, or none). */
  forgetRecent(): void {
    this.#recent.clear();
  }

  /** {@link RemoteSubscriber.forgetAfter} for every subscriber. */
  forgetAfter(): void {
    for (const subscriber of this.#subscribers) subscriber.forgetAfter();
  }

  /** Ends every live subscription (calling its `onClose`); those still reading their replay are left to fail on their own. */
  endAll(): void {
    for (const subscriber of [...this.#subscribers]) {
      if (subscriber.replaying) continue;
      this.remove(subscriber);
      try {
        subscriber.handlers.onClose?.();
      } catch (error) {
        this.#options.onError(error);
      }
    }
  }
}
