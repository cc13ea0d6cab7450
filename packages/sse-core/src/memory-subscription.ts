/** A {@link MemoryBroker} subscriber and the subscription it answers with. */
import type { GapNotice, SubscriberHandlers, Subscription } from "./broker.ts";
import type { SubscribedTopic } from "./topic.ts";
import type { TopicIndex } from "./topic-index.ts";
import type { EventId, StoredEvent } from "./types.ts";

/**
 * A subscription as a small object rather than a closure: a closure would keep this call's
 * whole scope (the replay list included) alive for as long as the stream is open.
 */
export class MemorySubscription implements Subscription {
  readonly cursor: EventId;
  readonly replayed: number;
  readonly gap: GapNotice | undefined;
  readonly #index: TopicIndex<Subscriber>;
  readonly #subscriber: Subscriber;

  constructor(cursor: EventId, replayed: number, gap: GapNotice | undefined, index: TopicIndex<Subscriber>, subscriber: Subscriber) {
    this.cursor = cursor;
    this.replayed = replayed;
    this.gap = gap;
    this.#index = index;
    this.#subscriber = subscriber;
  }

  unsubscribe(): void {
    this.#index.remove(this.#subscriber);
  }
}

export interface Subscriber {
  readonly handlers: SubscriberHandlers;
  readonly subscribed: readonly SubscribedTopic[];
  /** The newest sequence this subscriber already has (replayed or not wanted). */
  readonly after: number;
  /** Live events that arrived while replay was being delivered (re-entrant publish). */
  pending: { event: StoredEvent; topic: string }[] | undefined;
}
