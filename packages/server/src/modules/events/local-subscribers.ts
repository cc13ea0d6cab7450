/**
 * The streams this node serves, by the topics they follow: how many a publish reaches here.
 */
import { type SubscribedTopic, subscriptionPatterns, TopicIndex } from "@events/sse-core";

/**
 * Counts, for a publish, the streams of this node that follow at least one of its topics
 * (patterns included), each once. Kept by the service beside the broker's own fan-out, since
 * the broker contract reports no delivery count; a lookup costs O(matching streams + topic
 * depth), like the fan-out itself, however many other streams are open.
 *
 * Most streams follow one exact topic (the default topic above all): those are only counted
 * per topic, with nothing kept per stream (an index entry per idle stream cost ~350 bytes);
 * streams with patterns or several topics go to a {@link TopicIndex}.
 */
export class LocalSubscribers {
  readonly #index = new TopicIndex<object>();
  /** Streams following exactly one topic, by that topic. */
  readonly #singleTopic = new Map<string, number>();
  #singleTopicStreams = 0;

  /** Registers a stream (any object identifying it) with its subscription. */
  add(stream: object, topics: readonly SubscribedTopic[]): void {
    const single = singleTopicOf(topics);
    if (single === undefined) {
      this.#index.add(stream, subscriptionPatterns(topics));
      return;
    }
    this.#singleTopic.set(single, (this.#singleTopic.get(single) ?? 0) + 1);
    this.#singleTopicStreams += 1;
  }

  /** Unregisters a stream with the subscription it was added with; nothing happens when it is not registered. */
  remove(stream: object, topics: readonly SubscribedTopic[]): void {
    const single = singleTopicOf(topics);
    if (single === undefined) {
      this.#index.remove(stream);
      return;
    }
    const count = this.#singleTopic.get(single);
    if (count === undefined) return;
    if (count === 1) this.#singleTopic.delete(single);
    else this.#singleTopic.set(single, count - 1);
    this.#singleTopicStreams -= 1;
  }

  /** Streams registered now. */
  get size(): number {
    return this.#index.size + this.#singleTopicStreams;
  }

  /** How many registered streams follow at least one of `topics`, each counted once. */
  count(topics: readonly string[]): number {
    // One topic (every trigger): O(1) while streams follow exact topics only.
    if (topics.length === 1) {
      const topic = topics[0] as string;
      return (this.#singleTopic.get(topic) ?? 0) + this.#index.countMatches(topic);
    }
    // A single-topic stream matches one of the (distinct) topics at most: summing cannot count it twice.
    let count = 0;
    const seen = new Set<object>();
    for (const topic of topics) {
      count += this.#singleTopic.get(topic) ?? 0;
      this.#index.forEachMatch(topic, (stream) => seen.add(stream));
    }
    return count + seen.size;
  }
}

/** The topic of a subscription to exactly one topic name (no pattern), else `undefined`. */
function singleTopicOf(topics: readonly SubscribedTopic[]): string | undefined {
  if (topics.length !== 1) return undefined;
  const pattern = (topics[0] as SubscribedTopic).pattern;
  return pattern.kind === "exact" ? pattern.topic : undefined;
}
