/**
 * The streams this node serves, by the topics they follow: how many a publish reaches here.
 */
import { type SubscribedTopic, subscriptionPatterns, TopicIndex } from "@events/sse-core";

/**
 * Counts, for a publish, the streams of this node that follow at least one of its topics
 * (patterns included), each once. Kept by the service beside the broker's own fan-out, since
 * the broker contract reports no delivery count; a lookup costs O(matching streams + topic
 * depth), like the fan-out itself, however many other streams are open.
 */
export class LocalSubscribers {
  readonly #index = new TopicIndex<object>();

  /** Registers a stream (any object identifying it) with its subscription. */
  add(stream: object, topics: readonly SubscribedTopic[]): void {
    this.#index.add(stream, subscriptionPatterns(topics));
  }

  /** Unregisters a stream; nothing happens when it is not registered. */
  remove(stream: object): void {
    this.#index.remove(stream);
  }

  /** Streams registered now. */
  get size(): number {
    return this.#index.size;
  }

  /** How many registered streams follow at least one of `topics`, each counted once. */
  count(topics: readonly string[]): number {
    // One topic (every trigger): O(1) while streams follow exact topics only.
    if (topics.length === 1) return this.#index.countMatches(topics[0] as string);
    const seen = new Set<object>();
    for (const topic of topics) this.#index.forEachMatch(topic, (stream) => seen.add(stream));
    return seen.size;
  }
}
