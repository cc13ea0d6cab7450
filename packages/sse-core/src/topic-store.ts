import type { SubscribedTopic } from "./topic.ts";
import { matchesTopic } from "./topic.ts";
import { TopicHistory } from "./topic-history.ts";
import type { StoredEvent } from "./types.ts";

/** Bounds of a {@link TopicStore}, all already checked. */
export interface TopicStoreBounds {
  /** The most events held per topic. */
  readonly maxEventsPerTopic: number;
  /** The most frame bytes held by the whole store. */
  readonly maxBytes: number;
  /** The most topics held; the least recently published is evicted first. */
  readonly maxTopics: number;
  /** The longest an event is held (ms), or undefined for no age limit. */
  readonly ttlMs: number | undefined;
}

/** What history holds for one subscription after a position. */
export interface TopicReplay {
  /** The held events after the position, in sequence order, each once. */
  readonly events: StoredEvent[];
  /** The subscribed topics and patterns (as written) that lost events after the position. */
  readonly lost: string[];
  /** The oldest event held by the topics that lost events, if any. */
  readonly oldestLost: StoredEvent | undefined;
  /** Whether some subscribed topic holds an event at or before the position. */
  readonly holdsAtOrBefore: boolean;
}

/**
 * The in-memory history of every topic: per topic at most `maxEventsPerTopic` events no older
 * than `ttlMs`; for the whole store at most `maxBytes` and `maxTopics` topics, taking from the
 * least recently published topics first, so a million one-off topics cannot grow memory without
 * bound. An evicted topic leaves a small tombstone (its newest sequence), so a client resuming on
 * it learns it lost events; tombstones are bounded too, and the newest sequence of a forgotten
 * one is kept as a watermark below which every unknown topic counts as lost.
 *
 * Cost: a publish is O(its topics) amortised; reading one exact topic is O(log n + events
 * read), whatever the other topics hold; a `prefix/*` or `*` pattern visits every retained topic
 * name once.
 */
export class TopicStore {
  readonly #bounds: TopicStoreBounds;
  /** Retained topics, least recently published first (a Map keeps insertion order). */
  readonly #topics = new Map<string, TopicHistory>();
  /** Evicted topics → the newest sequence each held, oldest eviction first. */
  readonly #tombstones = new Map<string, number>();
  /** The newest sequence of an evicted topic whose tombstone was dropped too. */
  #forgottenThrough = 0;
  #bytes = 0;
  #size = 0;
  /** The last topic of the last append: the most recently published end of `#topics`. */
  #mostRecent: TopicHistory | undefined;
  /** Topics evicted so far (for a metric). */
  evictions = 0;

  constructor(bounds: TopicStoreBounds) {
    this.#bounds = bounds;
  }

  /** The longest an event is held (ms), or undefined for no age limit. */
  get ttlMs(): number | undefined {
    return this.#bounds.ttlMs;
  }

  /** Events held, counted once per topic they are held in. */
  get size(): number {
    return this.#size;
  }

  /** Frame bytes held, counted once per topic an event is held in. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Topics with a history held now. */
  get topicCount(): number {
    return this.#topics.size;
  }

  /** Stores `event` (sequence `sequence`, above every stored one) in each of its topics, then enforces the bounds. */
  append(sequence: number, event: StoredEvent, now: number): void {
    const { maxEventsPerTopic, maxBytes, maxTopics } = this.#bounds;
    const { topics } = event;
    for (let index = 0; index < topics.length; index++) {
      const topic = topics[index] as string;
      let history = this.#mostRecent;
      // A topic published again at once (a busy topic) is already at the most recent end.
      if (history === undefined || history.topic !== topic) history = this.#touch(topic);
      this.#bytes += history.push(sequence, event, now);
      this.#size += 1;
      if (history.size > maxEventsPerTopic) this.#dropOldest(history);
    }
    if (this.#bounds.ttlMs !== undefined) this.#sweepOldestTopic(now);
    if (this.#topics.size > maxTopics) while (this.#topics.size > maxTopics) this.#evict(this.#leastRecent());
    while (this.#bytes > maxBytes && this.#topics.size > 0) {
      const history = this.#leastRecent();
      this.#dropOldest(history);
      if (history.size === 0) this.#evict(history);
    }
  }

  /** `topic`'s history, made if it has none, moved to the most recently published end. */
  #touch(topic: string): TopicHistory {
    let history = this.#topics.get(topic);
    if (history === undefined) {
      // A topic whose tombstone was forgotten may have lost events up to the watermark.
      history = new TopicHistory(topic, this.#tombstones.get(topic) ?? this.#forgottenThrough);
      this.#tombstones.delete(topic);
    } else {
      // Re-inserted to move it to the most recently published end.
      this.#topics.delete(topic);
    }
    this.#topics.set(topic, history);
    this.#mostRecent = history;
    return history;
  }

  /** The event with `sequence` if `topic` still holds it. */
  find(topic: string, sequence: number): StoredEvent | undefined {
    return this.#topics.get(topic)?.find(sequence);
  }

  /** What `subscribed` gets from history after `after` (0: everything held). */
  read(subscribed: readonly SubscribedTopic[], after: number, now: number): TopicReplay {
    const sequences: number[] = [];
    const events: StoredEvent[] = [];
    const collected = { sequences, events };
    const lost: string[] = [];
    let oldestLost: StoredEvent | undefined;
    let oldestLostSequence = Number.POSITIVE_INFINITY;
    let holdsAtOrBefore = false;
    let topicsRead = 0;
    const visited = new Set<string>();
    const visit = (history: TopicHistory): boolean => {
      this.#expire(history, now);
      const oldest = history.oldestSequence;
      if (oldest !== undefined && oldest <= after) holdsAtOrBefore = true;
      if (!visited.has(history.topic)) {
        visited.add(history.topic);
        history.collectAfter(after, collected);
        topicsRead += 1;
      }
      const topicLost = history.lostThrough > after;
      if (topicLost && oldest !== undefined && oldest < oldestLostSequence) {
        oldestLostSequence = oldest;
        oldestLost = history.oldest;
      }
      return topicLost;
    };
    for (const { text, pattern } of subscribed) {
      let patternLost = false;
      if (pattern.kind === "exact") {
        const history = this.#topics.get(pattern.topic);
        patternLost = history !== undefined ? visit(history) : (this.#tombstones.get(pattern.topic) ?? this.#forgottenThrough) > after;
      } else {
        for (const history of this.#topics.values()) {
          if (matchesTopic(pattern, history.topic) && visit(history)) patternLost = true;
        }
        if (this.#forgottenThrough > after) patternLost = true;
        for (const [topic, newest] of this.#tombstones) {
          if (newest > after && matchesTopic(pattern, topic)) patternLost = true;
        }
      }
      if (patternLost) lost.push(text);
    }
    return { events: topicsRead > 1 ? mergeBySequence(sequences, events) : events, lost, oldestLost, holdsAtOrBefore };
  }

  /** Drops every topic and tombstone. */
  clear(): void {
    this.#topics.clear();
    this.#mostRecent = undefined;
    this.#tombstones.clear();
    this.#bytes = 0;
    this.#size = 0;
  }

  #leastRecent(): TopicHistory {
    return this.#topics.values().next().value as TopicHistory;
  }

  #dropOldest(history: TopicHistory): void {
    this.#bytes -= history.dropOldest();
    this.#size -= 1;
  }

  #expire(history: TopicHistory, now: number): void {
    const { ttlMs } = this.#bounds;
    if (ttlMs === undefined) return;
    const before = history.size;
    this.#bytes -= history.expire(now - ttlMs);
    this.#size -= before - history.size;
  }

  /** Expires the least recently published topic's old events (evicting it once empty): TTL without a timer. */
  #sweepOldestTopic(now: number): void {
    if (this.#topics.size === 0) return;
    const history = this.#leastRecent();
    this.#expire(history, now);
    if (history.size === 0) this.#evict(history);
  }

  #evict(history: TopicHistory): void {
    this.#topics.delete(history.topic);
    if (this.#mostRecent === history) this.#mostRecent = undefined;
    this.#bytes -= history.bytes;
    this.#size -= history.size;
    this.#tombstones.set(history.topic, history.newestSequence);
    this.evictions += 1;
    if (this.#tombstones.size > this.#bounds.maxTopics) {
      const [topic, newest] = this.#tombstones.entries().next().value as [string, number];
      this.#tombstones.delete(topic);
      if (newest > this.#forgottenThrough) this.#forgottenThrough = newest;
    }
  }
}

/** The events of several topics in sequence order, an event held by several topics once. */
function mergeBySequence(sequences: number[], events: StoredEvent[]): StoredEvent[] {
  const order = sequences.map((_, index) => index).sort((a, b) => (sequences[a] as number) - (sequences[b] as number));
  const merged: StoredEvent[] = [];
  let previous = -1;
  for (const index of order) {
    const sequence = sequences[index] as number;
    if (sequence === previous) continue;
    previous = sequence;
    merged.push(events[index] as StoredEvent);
  }
  return merged;
}
