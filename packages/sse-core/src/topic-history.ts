import type { StoredEvent } from "./types.ts";

/**
 * One topic's history in a {@link TopicStore}: its events in sequence order (oldest first),
 * with the time each was stored and the newest sequence it has lost, so a resume can tell
 * whether this topic still covers a position.
 */
export class TopicHistory {
  readonly topic: string;
  // Parallel arrays from #head on: cheaper than an object per entry, and a binary search over
  // numbers finds a resume position in O(log n).
  #sequences: number[] = [];
  #events: StoredEvent[] = [];
  #times: number[] = [];
  #head = 0;
  #bytes = 0;
  /** The sequence of the newest event this topic lost (trimmed, expired or evicted); 0 when none. */
  lostThrough: number;

  constructor(topic: string, lostThrough = 0) {
    this.topic = topic;
    this.lostThrough = lostThrough;
  }

  /** How many events are held. */
  get size(): number {
    return this.#sequences.length - this.#head;
  }

  /** The frame bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The sequence of the oldest event held, or undefined when empty. */
  get oldestSequence(): number | undefined {
    return this.#sequences[this.#head];
  }

  /** The oldest event held, or undefined when empty. */
  get oldest(): StoredEvent | undefined {
    return this.#events[this.#head];
  }

  /** The newest sequence held, or {@link lostThrough} when empty. */
  get newestSequence(): number {
    return this.size === 0 ? this.lostThrough : (this.#sequences[this.#sequences.length - 1] as number);
  }

  /** Appends an event (sequences arrive in increasing order); returns its bytes. */
  push(sequence: number, event: StoredEvent, time: number): number {
    const bytes = event.frameLength ?? event.frame.byteLength;
    this.#sequences.push(sequence);
    this.#events.push(event);
    this.#times.push(time);
    this.#bytes += bytes;
    return bytes;
  }

  /** Drops the oldest event; returns its bytes (0 when empty). */
  dropOldest(): number {
    if (this.size === 0) return 0;
    const event = this.#events[this.#head] as StoredEvent;
    const bytes = event.frameLength ?? event.frame.byteLength;
    this.lostThrough = this.#sequences[this.#head] as number;
    this.#head += 1;
    this.#bytes -= bytes;
    // Shift the arrays only once half of them is dead: amortised O(1) per drop.
    if (this.#head >= 64 && this.#head * 2 >= this.#sequences.length) {
      this.#sequences = this.#sequences.slice(this.#head);
      this.#events = this.#events.slice(this.#head);
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
    return bytes;
  }

  /** Drops the events stored before `horizon` (ms); returns the bytes dropped. */
  expire(horizon: number): number {
    let bytes = 0;
    while (this.size > 0 && (this.#times[this.#head] as number) < horizon) bytes += this.dropOldest();
    return bytes;
  }

  /** The event held with `sequence`, if any. */
  find(sequence: number): StoredEvent | undefined {
    const index = this.#firstAfter(sequence - 1);
    return this.#sequences[index] === sequence ? this.#events[index] : undefined;
  }

  /** Appends to `into` every held event with a sequence above `sequence`, oldest first, with its sequence. */
  collectAfter(sequence: number, into: { sequences: number[]; events: StoredEvent[] }): void {
    for (let index = this.#firstAfter(sequence); index < this.#sequences.length; index++) {
      into.sequences.push(this.#sequences[index] as number);
      into.events.push(this.#events[index] as StoredEvent);
    }
  }

  /** The index of the first held event with a sequence above `sequence`. */
  #firstAfter(sequence: number): number {
    let low = this.#head;
    let high = this.#sequences.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#sequences[middle] as number) <= sequence) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
