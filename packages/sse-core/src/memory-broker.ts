import {
  type Broker,
  type BrokerHealth,
  type GapNotice,
  type GapReason,
  normalizeLastEventId,
  type SubscribeOptions,
  type SubscriberHandlers,
  type Subscription,
} from "./broker.ts";
import { SseError, describeValue } from "./errors.ts";
import { formatEventId, parseEventId } from "./event-id.ts";
import { DEFAULT_EVENT_HISTORY_OPTIONS, EventHistory } from "./history.ts";
import { IdempotencyKeys, type IdempotencyOptions } from "./idempotency-keys.ts";
import { positiveInteger } from "./options.ts";
import { createStoredEvent } from "./stored-event.ts";
import type { EventId, PublishInput, StoredEvent } from "./types.ts";

/**
 * Options of {@link MemoryBroker}; `idempotencyWindowMs` (default 600000 ms) and
 * `maxIdempotencyKeys` (default 100000) bound the idempotency keys remembered.
 */
export interface MemoryBrokerOptions extends IdempotencyOptions {
  /** The most events kept in history for replay. Positive integer. @default 1000 (events) */
  readonly historySize?: number | undefined;
  /** The most bytes of encoded frames kept in history. Positive integer. @default 8388608 (8 MiB) */
  readonly historyBytes?: number | undefined;
  /**
   * The epoch part of every id (ms since 1970): the moment this history was born, so ids
   * are unique across restarts. Non-negative integer. @default clock() at construction
   */
  readonly epoch?: number | undefined;
  /** Milliseconds now, for idempotency key expiry (tests pass a manual clock). @default Date.now */
  readonly clock?: (() => number) | undefined;
  /**
   * Called when a subscriber's `onEvent`/`onClose` throws; delivery to the other
   * subscribers goes on either way. @default ignore the error
   */
  readonly onSubscriberError?: ((error: unknown) => void) | undefined;
}

/** Defaults of {@link MemoryBrokerOptions} (`epoch` defaults to `Date.now()` at construction). */
export const DEFAULT_MEMORY_BROKER_OPTIONS: Readonly<{ historySize: number; historyBytes: number }> = Object.freeze({
  historySize: DEFAULT_EVENT_HISTORY_OPTIONS.maxEvents,
  historyBytes: DEFAULT_EVENT_HISTORY_OPTIONS.maxBytes,
});

interface Subscriber {
  readonly handlers: SubscriberHandlers;
  /** The newest sequence this subscriber already has (replayed or not wanted). */
  readonly after: number;
  /** Live events that arrived while replay was being delivered (re-entrant publish). */
  pending: StoredEvent[] | undefined;
}

/**
 * The embedded broker: one process, history in a ring buffer bounded by count and bytes.
 *
 * Ids are `<epoch base36>-<sequence>` ({@link formatEventId}), strictly increasing. Publish
 * and subscribe run synchronously up to their returned promise, so replay and registration
 * happen with no publish in between: no hole and no duplicate between replay and live.
 * Fan-out encodes each event once and hands every subscriber the same bytes.
 *
 * @example
 * ```ts
 * const broker = new MemoryBroker({ historySize: 500 });
 * await broker.subscribe({ onEvent: (event) => console.log(event.id, event.data) });
 * await broker.publish({ data: JSON.stringify({ message: "hi" }) });
 * ```
 */
export class MemoryBroker implements Broker {
  /** The epoch part of this broker's ids. */
  readonly epoch: number;
  /** The id that sorts before every event of this broker (`<epoch>-0`). */
  readonly origin: EventId;
  readonly #history: EventHistory;
  /** `<epoch base36>-`: every id is this plus the sequence, as {@link formatEventId} writes it. */
  readonly #idPrefix: string;
  readonly #subscribers = new Set<Subscriber>();
  readonly #onSubscriberError: (error: unknown) => void;
  /** Idempotency key → the sequence of the event its first publish stored. */
  readonly #keys: IdempotencyKeys<number>;
  #sequence = 0;
  #closed = false;

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
    this.#history = new EventHistory({
      maxEvents: positiveInteger("MemoryBroker historySize", options.historySize, DEFAULT_MEMORY_BROKER_OPTIONS.historySize),
      maxBytes: positiveInteger("MemoryBroker historyBytes", options.historyBytes, DEFAULT_MEMORY_BROKER_OPTIONS.historyBytes),
    });
    this.#keys = new IdempotencyKeys({ ...options, clock, owner: "MemoryBroker" });
    this.#onSubscriberError = options.onSubscriberError ?? ignore;
  }

  /** The number of current subscriptions. */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** How many events history holds now. */
  get historyLength(): number {
    return this.#history.size;
  }

  /**
   * Stores an event and delivers it to every subscriber; with an `idempotencyKey` seen
   * within the window, stores nothing and resolves with the first event (see {@link publishSync}).
   * Rejects with `BROKER_CLOSED` after {@link close}, and with `INVALID_EVENT_NAME` when
   * `input.event` contains CR or LF.
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
   * {@link publish} without the promise: stores the event, delivers it to every subscriber
   * and returns it. With an `idempotencyKey` seen within `idempotencyWindowMs` (and not yet
   * forgotten past `maxIdempotencyKeys`) it stores and delivers nothing and returns the first
   * event: from history while held, else with its id and this input's `event` and `data`.
   * Check and store are one synchronous step, so two publishes with one key never both store.
   * @throws {SseError} `BROKER_CLOSED` after {@link close}; `INVALID_EVENT_NAME` when
   *   `input.event` contains CR or LF.
   */
  publishSync(input: PublishInput): StoredEvent {
    if (this.#closed) throw closedError();
    const key = input.idempotencyKey;
    if (key !== undefined) {
      const first = this.#keys.get(key);
      if (first !== undefined) return this.#storedAt(first, input);
    }
    const sequence = this.#sequence + 1;
    // One concatenation rather than formatEventId's checks and base36 conversion per publish:
    // the epoch was checked at construction and the sequence is a counter from 0.
    const id = this.#idPrefix + sequence;
    const stored = createStoredEvent(id, input.event ?? "message", input.data);
    this.#sequence = sequence;
    this.#history.push(stored);
    if (key !== undefined) this.#keys.remember(key, sequence);
    // No iterator for a node with no subscriber (a trigger nobody listens to here).
    if (this.#subscribers.size === 0) return stored;
    for (const subscriber of this.#subscribers) {
      // A subscriber registered by a handler during this loop already got it from replay.
      if (sequence <= subscriber.after) continue;
      if (subscriber.pending !== undefined) subscriber.pending.push(stored);
      else this.#deliver(subscriber, stored);
    }
    return stored;
  }

  /**
   * Subscribes from an optional last event id: delivers the gap notice (if any) and the
   * replay through `handlers` before the promise resolves, then live events.
   * Rejects with `BROKER_CLOSED` after {@link close}.
   */
  async subscribe(handlers: SubscriberHandlers, options: SubscribeOptions = {}): Promise<Subscription> {
    if (this.#closed) throw closedError();
    const { gap, cursor, replay } = this.#plan(normalizeLastEventId(options.lastEventId));
    const subscriber: Subscriber = { handlers, after: this.#sequence, pending: [] };
    this.#subscribers.add(subscriber);
    try {
      if (gap !== undefined) handlers.onGap?.(gap);
      for (const event of replay) handlers.onEvent(event);
      // Events published by the handlers themselves while replaying, in order.
      const pending = subscriber.pending as StoredEvent[];
      for (let index = 0; index < pending.length; index += 1) handlers.onEvent(pending[index] as StoredEvent);
    } catch (error) {
      this.#subscribers.delete(subscriber);
      throw error;
    } finally {
      subscriber.pending = undefined;
    }
    return {
      cursor,
      replayed: replay.length,
      gap,
      unsubscribe: (): void => {
        this.#subscribers.delete(subscriber);
      },
    };
  }

  /** `ok` until closed; `detail` says how much history is held. */
  health(): BrokerHealth {
    if (this.#closed) return { ok: false, detail: "memory: closed" };
    return {
      ok: true,
      detail: `memory: ${this.#history.size} events (${this.#history.bytes} bytes) in history, ${this.#subscribers.size} subscribers`,
    };
  }

  /** Ends every subscription (calling its `onClose`), drops history and refuses further publishes. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const subscribers = [...this.#subscribers];
    this.#subscribers.clear();
    this.#history.clear();
    for (const subscriber of subscribers) {
      try {
        subscriber.handlers.onClose?.();
      } catch (error) {
        this.#onSubscriberError(error);
      }
    }
  }

  /** The event stored at `sequence`: from history while held, else rebuilt with its id from `input`. */
  #storedAt(sequence: number, input: PublishInput): StoredEvent {
    const held = this.#history.at(sequence - (this.#sequence - this.#history.size + 1));
    return held ?? createStoredEvent(this.#idPrefix + sequence, input.event ?? "message", input.data);
  }

  #deliver(subscriber: Subscriber, event: StoredEvent): void {
    try {
      subscriber.handlers.onEvent(event);
    } catch (error) {
      // One broken subscriber must not stop delivery to the others.
      this.#onSubscriberError(error);
    }
  }

  /** Works out what a subscriber resuming after `lastEventId` gets. */
  #plan(lastEventId: string | undefined): { gap: GapNotice | undefined; cursor: EventId; replay: StoredEvent[] } {
    const newest = formatEventId(this.epoch, this.#sequence);
    if (lastEventId === undefined) return { gap: undefined, cursor: newest, replay: [] };
    // Held events are a contiguous run of sequences ending at the newest one.
    const oldestHeld = this.#sequence - this.#history.size + 1;
    const parsed = parseEventId(lastEventId);
    let reason: GapReason;
    if (parsed === undefined) reason = "malformed";
    else if (parsed.epoch !== this.epoch) reason = "other-epoch";
    else if (parsed.sequence > this.#sequence) reason = "unknown";
    else if (parsed.sequence < oldestHeld - 1) reason = "too-old";
    else return { gap: undefined, cursor: lastEventId, replay: this.#history.slice(parsed.sequence - oldestHeld + 1) };
    const gap: GapNotice = { requestedId: lastEventId, oldestId: this.#history.oldest?.id, reason };
    return { gap, cursor: this.origin, replay: this.#history.slice(0) };
  }
}

function closedError(): SseError {
  return new SseError("BROKER_CLOSED", "the broker is closed; create a new broker to publish or subscribe again");
}

function ignore(): void {}
