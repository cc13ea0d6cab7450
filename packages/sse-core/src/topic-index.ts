import type { TopicPattern } from "./topic.ts";

/** One entry's bookkeeping: its patterns (for removal) and the last walk that visited it. */
interface EntryRecord<T> {
  readonly entry: T;
  patterns: readonly TopicPattern[];
  /** The walk number of the last top-level {@link TopicIndex.forEachMatch} that visited it. */
  seen: number;
}

/** A node of the prefix trie: one segment deeper than its parent. */
interface PrefixNode<T> {
  readonly parent: PrefixNode<T> | undefined;
  readonly segment: string;
  children: Map<string, PrefixNode<T>> | undefined;
  /** Entries with the pattern `<path to this node>/*`. */
  records: Set<EntryRecord<T>> | undefined;
}

/**
 * Which subscribers want an event of a given topic. Each entry (a subscriber) registers a
 * set of {@link TopicPattern}s; {@link TopicIndex.forEachMatch} visits every entry with at
 * least one pattern matching the topic, **once** however many of its patterns match (a
 * client subscribed to `orders/42` and `orders/*` gets an order event once).
 *
 * Cost follows the topic, not the index: a lookup costs O(segments of the topic + matching
 * (entry, pattern) pairs), however many other entries and topics are registered. Exact
 * topics live in a `Map`, `<prefix>/*` patterns in a trie walked one segment at a time
 * (stopping at the first segment no pattern continues), `*` in a set. `add` and `remove`
 * cost O(the entry's patterns × their segments).
 *
 * Entries are compared like `Map` keys (identity for objects).
 *
 * @example
 * ```ts
 * const index = new TopicIndex<Client>();
 * index.add(client, ["orders/42", "users/7/*"].map(parseTopicPattern));
 * index.forEachMatch("users/7/profile", (client) => client.send(frame));
 * index.remove(client);
 * ```
 */
export class TopicIndex<T> {
  readonly #records = new Map<T, EntryRecord<T>>();
  /**
   * Entries themselves, not their records: a broadcast to an exact topic (the usual case)
   * touches one object less per subscriber (a cache miss each at 1,000 clients, bench/NOTES.md).
   */
  readonly #exact = new Map<string, Set<T>>();
  readonly #all = new Set<EntryRecord<T>>();
  readonly #prefixRoot: PrefixNode<T> = { parent: undefined, segment: "", children: undefined, records: undefined };
  #walk = 0;
  #walking = false;

  /** How many entries are registered. */
  get size(): number {
    return this.#records.size;
  }

  /** Whether `entry` is registered. */
  has(entry: T): boolean {
    return this.#records.has(entry);
  }

  /**
   * Registers `entry` with `patterns` (parse them with `parseTopicPattern`; duplicates are
   * harmless; an array is kept, not copied, so do not change it afterwards). An entry already registered has its patterns replaced. An entry with no
   * pattern is registered and matches nothing.
   */
  add(entry: T, patterns: Iterable<TopicPattern>): void {
    // An array is kept as given, not copied (one array less per entry: an index of idle
    // streams holds one per stream); the caller does not change it afterwards.
    const list = Array.isArray(patterns) ? (patterns as readonly TopicPattern[]) : [...patterns];
    let record = this.#records.get(entry);
    if (record === undefined) {
      record = { entry, patterns: list, seen: 0 };
      this.#records.set(entry, record);
    } else {
      // The record object is kept (not replaced), so a walk in progress still sees it as visited.
      this.#unlink(record);
      record.patterns = list;
    }
    for (const pattern of record.patterns) this.#link(record, pattern);
  }

  /** Unregisters `entry`; nothing happens when it is not registered. O(its patterns). */
  remove(entry: T): void {
    const record = this.#records.get(entry);
    if (record === undefined) return;
    this.#records.delete(entry);
    this.#unlink(record);
  }

  /** Calls `visit` once for every registered entry (e.g. to end them all). */
  forEachEntry(visit: (entry: T) => void): void {
    for (const entry of this.#records.keys()) visit(entry);
  }

  /**
   * Calls `visit` once for every entry with a pattern matching `topic` (a valid topic name),
   * in no particular order. Allocates nothing per call: duplicates are skipped by stamping
   * each visited entry with this call's number, rather than building a set per call (a call
   * made from inside `visit` cannot reuse the stamps, and dedupes with a set of its own).
   * An entry removed by `visit` before its turn is not visited; one added during the call
   * may or may not be.
   */
  forEachMatch(topic: string, visit: (entry: T) => void): void {
    // With only exact patterns registered (the usual case), one set holds every match and no
    // entry can be met twice: skip the stamps (a broadcast's inner loop, bench/NOTES.md).
    if (this.#all.size === 0 && this.#prefixRoot.children === undefined) {
      const exact = this.#exact.get(topic);
      if (exact !== undefined) for (const entry of exact) visit(entry);
      return;
    }
    if (this.#walking) {
      this.#walkMatches(topic, 0, new Set(), visit);
      return;
    }
    this.#walking = true;
    try {
      this.#walkMatches(topic, ++this.#walk, undefined, visit);
    } finally {
      this.#walking = false;
    }
  }

  /**
   * How many entries {@link forEachMatch} would visit for `topic`: O(1) while only exact
   * patterns are registered (then one set holds every match), else a walk.
   */
  countMatches(topic: string): number {
    if (this.#all.size === 0 && this.#prefixRoot.children === undefined) return this.#exact.get(topic)?.size ?? 0;
    let count = 0;
    this.forEachMatch(topic, () => {
      count += 1;
    });
    return count;
  }

  /** The entries {@link forEachMatch} would visit, as an array (allocates one per call). */
  match(topic: string): T[] {
    const entries: T[] = [];
    this.forEachMatch(topic, (entry) => entries.push(entry));
    return entries;
  }

  #walkMatches(topic: string, walk: number, nestedSeen: Set<EntryRecord<T>> | undefined, visit: (entry: T) => void): void {
    this.#visitRecords(this.#all, walk, nestedSeen, visit);
    const exact = this.#exact.get(topic);
    if (exact !== undefined) this.#visitEntries(exact, walk, nestedSeen, visit);
    let node = this.#prefixRoot;
    let start = 0;
    // Only segments followed by "/" count: `a/*` matches `a/b`, never `a` itself.
    for (let slash = topic.indexOf("/"); slash !== -1 && node.children !== undefined; slash = topic.indexOf("/", start)) {
      const child = node.children.get(topic.slice(start, slash));
      if (child === undefined) break;
      node = child;
      if (node.records !== undefined) this.#visitRecords(node.records, walk, nestedSeen, visit);
      start = slash + 1;
    }
  }

  #visitRecords(
    records: Set<EntryRecord<T>>,
    walk: number,
    nestedSeen: Set<EntryRecord<T>> | undefined,
    visit: (entry: T) => void,
  ): void {
    for (const record of records) if (firstVisit(record, walk, nestedSeen)) visit(record.entry);
  }

  /** {@link #visitRecords} for a set of entries (an exact topic's): each one's record holds its stamp. */
  #visitEntries(entries: Set<T>, walk: number, nestedSeen: Set<EntryRecord<T>> | undefined, visit: (entry: T) => void): void {
    for (const entry of entries) {
      // Every entry of the set is registered: removing one takes it out of the set too.
      if (firstVisit(this.#records.get(entry) as EntryRecord<T>, walk, nestedSeen)) visit(entry);
    }
  }

  #link(record: EntryRecord<T>, pattern: TopicPattern): void {
    switch (pattern.kind) {
      case "all":
        this.#all.add(record);
        return;
      case "exact": {
        let entries = this.#exact.get(pattern.topic);
        if (entries === undefined) {
          entries = new Set();
          this.#exact.set(pattern.topic, entries);
        }
        entries.add(record.entry);
        return;
      }
      case "prefix": {
        let node = this.#prefixRoot;
        for (const segment of pattern.prefix.split("/")) {
          node.children ??= new Map();
          let child = node.children.get(segment);
          if (child === undefined) {
            child = { parent: node, segment, children: undefined, records: undefined };
            node.children.set(segment, child);
          }
          node = child;
        }
        (node.records ??= new Set()).add(record);
        return;
      }
    }
  }

  #unlink(record: EntryRecord<T>): void {
    for (const pattern of record.patterns) {
      switch (pattern.kind) {
        case "all":
          this.#all.delete(record);
          break;
        case "exact": {
          const entries = this.#exact.get(pattern.topic);
          if (entries !== undefined && entries.delete(record.entry) && entries.size === 0) this.#exact.delete(pattern.topic);
          break;
        }
        case "prefix":
          this.#unlinkPrefix(record, pattern.prefix);
          break;
      }
    }
  }

  /** Removes `record` from the node of `prefix`, then prunes nodes left with nothing. */
  #unlinkPrefix(record: EntryRecord<T>, prefix: string): void {
    let node: PrefixNode<T> | undefined = this.#prefixRoot;
    for (const segment of prefix.split("/")) {
      node = node.children?.get(segment);
      if (node === undefined) return;
    }
    node.records?.delete(record);
    if (node.records?.size === 0) node.records = undefined;
    while (node.parent !== undefined && node.records === undefined && (node.children === undefined || node.children.size === 0)) {
      const parent: PrefixNode<T> = node.parent;
      parent.children?.delete(node.segment);
      if (parent.children?.size === 0) parent.children = undefined;
      node = parent;
    }
  }
}

/**
 * Whether this walk meets `record` for the first time, marking it met: by its stamp in a
 * top-level walk, in `nestedSeen` in a walk started from inside another's `visit`.
 */
function firstVisit<T>(record: EntryRecord<T>, walk: number, nestedSeen: Set<EntryRecord<T>> | undefined): boolean {
  if (nestedSeen === undefined) {
    if (record.seen === walk) return false;
    record.seen = walk;
    return true;
  }
  if (nestedSeen.has(record)) return false;
  nestedSeen.add(record);
  return true;
}
