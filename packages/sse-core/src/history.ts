import { positiveInteger } from "./options.ts";
import type { StoredEvent } from "./types.ts";

/** Bounds of an {@link EventHistory}. */
export interface EventHistoryOptions {
  /** The most events held; the oldest is dropped first. Positive integer. @default 1000 */
  readonly maxEvents?: number | undefined;
  /** The most bytes held, counted as the sum of the events' encoded `frame` lengths. Positive integer. @default 8388608 (8 MiB) */
  readonly maxBytes?: number | undefined;
}

/** Defaults of {@link EventHistoryOptions}. */
export const DEFAULT_EVENT_HISTORY_OPTIONS: Readonly<{ maxEvents: number; maxBytes: number }> = Object.freeze({
  maxEvents: 1000,
  maxBytes: 8 * 1024 * 1024,
});

/**
 * An ordered, bounded history of stored events: a ring buffer holding at most `maxEvents`
 * events and at most `maxBytes` bytes of frames, dropping the oldest first. An event larger
 * than `maxBytes` on its own empties the history.
 *
 * @example
 * ```ts
 * const history = new EventHistory({ maxEvents: 100 });
 * history.push(event);
 * history.slice(0); // every held event, oldest first
 * ```
 */
export class EventHistory {
  readonly maxEvents: number;
  readonly maxBytes: number;
  // Slots grow up to maxEvents, then wrap: a large configured bound costs nothing until used.
  readonly #slots: (StoredEvent | undefined)[] = [];
  #head = 0;
  #size = 0;
  #bytes = 0;

  /** @throws {SseError} `INVALID_OPTION` when a bound is not a positive integer. */
  constructor(options: EventHistoryOptions = {}) {
    this.maxEvents = positiveInteger("maxEvents", options.maxEvents, DEFAULT_EVENT_HISTORY_OPTIONS.maxEvents);
    this.maxBytes = positiveInteger("maxBytes", options.maxBytes, DEFAULT_EVENT_HISTORY_OPTIONS.maxBytes);
  }

  /** How many events are held. */
  get size(): number {
    return this.#size;
  }

  /** The total `frame` bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The oldest event held, if any. */
  get oldest(): StoredEvent | undefined {
    return this.#size === 0 ? undefined : this.at(0);
  }

  /** Appends an event, then drops the oldest events until both bounds hold. */
  push(event: StoredEvent): void {
    if (this.#size === this.maxEvents) this.#dropOldest();
    this.#slots[(this.#head + this.#size) % this.maxEvents] = event;
    this.#size += 1;
    this.#bytes += frameLength(event);
    while (this.#bytes > this.maxBytes && this.#size > 0) this.#dropOldest();
  }

  /** The event at `index` (0 = oldest held), or undefined when out of range. */
  at(index: number): StoredEvent | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.#size) return undefined;
    return this.#slots[(this.#head + index) % this.maxEvents];
  }

  /** The held events from `start` (0 = oldest) to the newest, oldest first. */
  slice(start: number): StoredEvent[] {
    const events: StoredEvent[] = [];
    for (let index = Math.max(0, start); index < this.#size; index += 1) {
      events.push(this.#slots[(this.#head + index) % this.maxEvents] as StoredEvent);
    }
    return events;
  }

  /** Drops every event. */
  clear(): void {
    this.#slots.length = 0;
    this.#head = 0;
    this.#size = 0;
    this.#bytes = 0;
  }

  #dropOldest(): void {
    const oldest = this.#slots[this.#head] as StoredEvent;
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.maxEvents;
    this.#size -= 1;
    this.#bytes -= frameLength(oldest);
  }
}

/** The bytes an event's frame takes, without encoding a lazily encoded frame. */
function frameLength(event: StoredEvent): number {
  return event.frameLength ?? event.frame.byteLength;
}
