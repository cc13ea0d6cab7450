import type { StoredEvent } from "./types.ts";

/**
 * One topic's history in a {@link TopicStore}: its events in sequence order (oldest first),
 * with the time each was stored and the newest sequence it has lost, so a resume can tell
 * whether this topic still covers a position.
 */
export class TopicHistory {
  readonly topic: string;
  // A ring buffer in three parallel arrays (cheaper than an object per entry; a binary search
  // over numbers finds a resume position in O(log n)). It grows by doubling up to what the
  // store's count bound lets it hold, then wraps: a busy topic stores and drops without
  // copying or allocating (bench/NOTES.md).
  #sequences: number[] = [];
  #events: (StoredEvent | undefined)[] = [];
  #times: number[] = [];
  #head = 0;
  #size = 0;
  #bytes = 0;
  /** The sequence of the newest event this topic lost (trimmed, expired or evicted); 0 when none. */
  lostThrough: number;

  constructor(topic: string, lostThrough = 0) {
    this.topic = topic;
    this.lostThrough = lostThrough;
  }

  /** How many events are held. */
  get size(): number {
    return this.#size;
  }

  /** The frame bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The sequence of the oldest event held, or undefined when empty. */
  get oldestSequence(): number | undefined {
    return this.#size === 0 ? undefined : this.#sequences[this.#head];
  }

  /** The oldest event held, or undefined when empty. */
  get oldest(): StoredEvent | undefined {
    return this.#size === 0 ? undefined : this.#events[this.#head];
  }

  /** The newest sequence held, or {@link lostThrough} when empty. */
  get newestSequence(): number {
    return this.#size === 0 ? this.lostThrough : (this.#sequences[this.#slot(this.#size - 1)] as number);
  }

  /** Appends an event (sequences arrive in increasing order); returns its bytes. */
  push(sequence: number, event: StoredEvent, time: number): number {
    if (this.#size === this.#events.length) this.#grow();
    const slot = this.#slot(this.#size);
    this.#sequences[slot] = sequence;
    this.#events[slot] = event;
    this.#times[slot] = time;
    this.#size += 1;
    const bytes = event.frameLength ?? event.frame.byteLength;
    this.#bytes += bytes;
    return bytes;
  }

  /** Drops the oldest event; returns its bytes (0 when empty). */
  dropOldest(): number {
    if (this.#size === 0) return 0;
    const event = this.#events[this.#head] as StoredEvent;
    const bytes = event.frameLength ?? event.frame.byteLength;
    this.lostThrough = this.#sequences[this.#head] as number;
    this.#events[this.#head] = undefined; // let the runtime free it
    this.#head = this.#head + 1 === this.#events.length ? 0 : this.#head + 1;
    this.#size -= 1;
    this.#bytes -= bytes;
    return bytes;
  }

  /** Drops the events stored before `horizon` (ms); returns the bytes dropped. */
  expire(horizon: number): number {
    let bytes = 0;
    while (this.#size > 0 && (this.#times[this.#head] as number) < horizon) bytes += this.dropOldest();
    return bytes;
  }

  /** The event held with `sequence`, if any. */
  find(sequence: number): StoredEvent | undefined {
    const index = this.#firstAfter(sequence - 1);
    if (index === this.#size) return undefined;
    const slot = this.#slot(index);
    return this.#sequences[slot] === sequence ? this.#events[slot] : undefined;
  }

  /** Appends to `into` every held event with a sequence above `sequence`, oldest first, with its sequence. */
  collectAfter(sequence: number, into: { sequences: number[]; events: StoredEvent[] }): void {
    for (let index = this.#firstAfter(sequence); index < this.#size; index++) {
      const slot = this.#slot(index);
      into.sequences.push(this.#sequences[slot] as number);
      into.events.push(this.#events[slot] as StoredEvent);
    }
  }

  /** The slot of the `index`-th held event (0 = oldest). */
  #slot(index: number): number {
    const slot = this.#head + index;
    return slot >= this.#events.length ? slot - this.#events.length : slot;
  }

  /** Doubles the capacity, laying the held events out from slot 0. */
  #grow(): void {
    const capacity = Math.max(4, this.#events.length * 2);
    const sequences: number[] = new Array<number>(capacity);
    const events: (StoredEvent | undefined)[] = new Array<StoredEvent | undefined>(capacity);
    const times: number[] = new Array<number>(capacity);
    for (let index = 0; index < this.#size; index++) {
      const slot = this.#slot(index);
      sequences[index] = this.#sequences[slot] as number;
      events[index] = this.#events[slot];
      times[index] = this.#times[slot] as number;
    }
    this.#sequences = sequences;
    this.#events = events;
    this.#times = times;
    this.#head = 0;
  }

  /** The index (0 = oldest) of the first held event with a sequence above `sequence`, or `size`. */
  #firstAfter(sequence: number): number {
    let low = 0;
    let high = this.#size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#sequences[this.#slot(middle)] as number) <= sequence) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
