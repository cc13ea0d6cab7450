import type { GapNotice, SubscriberHandlers, SubscriptionOpening } from "./broker.ts";
import type { EventId, StoredEvent } from "./types.ts";

/** An event and the topic a subscriber gets it through (the first of its topics it matches). */
export interface TopicDelivery {
  readonly event: StoredEvent;
  readonly topic: string;
}

/** A live event that reached a subscriber while its replay was being read, with its place in the history. */
export interface BufferedDelivery<Position> extends TopicDelivery {
  readonly position: Position;
}

/** Which live events a subscriber skips once its replay is delivered. */
export interface LiveStart<Position> {
  /**
   * Live events at or before this position are skipped (the replay had them, or they come
   * before the resume point); once one passes it, nothing more is compared.
   * @default none (nothing skipped this way)
   */
  readonly after?: Position | undefined;
  /**
   * Live events before this position are always skipped (e.g. rows of transactions that were
   * final when the replay was read).
   * @default none (nothing skipped this way)
   */
  readonly from?: Position | undefined;
}

/**
 * One subscription of a {@link RemoteFanOut}: it buffers the live events that arrive while its
 * replay is read, then (after {@link goLive}) gets them directly, skipping those the replay
 * already delivered. A broker creates it with {@link RemoteFanOut.add}.
 */
export class RemoteSubscriber<Position> {
  /** The callbacks the subscription was opened with. */
  readonly handlers: SubscriberHandlers;
  readonly #compare: (a: Position, b: Position) => number;
  readonly #onError: (error: unknown) => void;
  /** Live events read while the replay was being read; undefined once live. */
  #pending: BufferedDelivery<Position>[] | undefined = [];
  #after: Position | undefined;
  #from: Position | undefined;
  /** The fan-out round that last reached it: an event of several matching topics comes once. */
  #round = 0;

  /**
   * @param compare Orders two positions: negative when `a` comes first, 0 when equal.
   * @param onError Gets what `handlers.onEvent` throws for a live event.
   */
  constructor(handlers: SubscriberHandlers, compare: (a: Position, b: Position) => number, onError: (error: unknown) => void) {
    this.handlers = handlers;
    this.#compare = compare;
    this.#onError = onError;
  }

  /** Whether its replay is still being read (live events are buffered meanwhile). */
  get replaying(): boolean {
    return this.#pending !== undefined;
  }

  /** The live events buffered so far while the replay is read, in order (none once live). */
  get buffered(): readonly BufferedDelivery<Position>[] {
    return this.#pending ?? [];
  }

  /**
   * Calls `onOpen`, then `onEvent` for each replayed event (a throwing handler fails the
   * subscribe: the caller removes the subscriber). Returns the opening it gave `onOpen`.
   */
  replay(cursor: EventId, gap: GapNotice | undefined, deliveries: readonly TopicDelivery[]): SubscriptionOpening {
    this.handlers.onOpen?.({ cursor, replayed: deliveries.length, gap });
    for (const { event, topic } of deliveries) this.handlers.onEvent(event, topic);
    return { cursor, replayed: deliveries.length, gap };
  }

  /**
   * Ends the replay: later live events reach the handlers directly, skipped as `start` says.
   * Returns the events buffered meanwhile, for the broker to deliver (e.g. with {@link deliver}).
   */
  goLive(start: LiveStart<Position>): readonly BufferedDelivery<Position>[] {
    this.#from = start.from;
    this.#after = start.after;
    const buffered = this.#pending ?? [];
    this.#pending = undefined;
    return buffered;
  }

  /** Stops skipping live events up to the replay's end (the history restarted: new positions may sort lower). */
  forgetAfter(): void {
    this.#after = undefined;
  }

  /** Delivers one event of fan-out `round`, unless an earlier topic of the same round reached it already. */
  offer(round: number, event: StoredEvent, topic: string, position: Position): void {
    if (this.#round === round) return;
    this.#round = round;
    this.deliver(event, topic, position);
  }

  /** Buffers a live event during the replay; after it, delivers it unless skipped. A throwing handler is reported, not thrown. */
  deliver(event: StoredEvent, topic: string, position: Position): void {
    if (this.#pending !== undefined) {
      this.#pending.push({ event, topic, position });
      return;
    }
    if (this.#from !== undefined && this.#compare(position, this.#from) < 0) return;
    if (this.#after !== undefined) {
      if (this.#compare(position, this.#after) <= 0) return;
      this.#after = undefined;
    }
    try {
      this.handlers.onEvent(event, topic);
    } catch (error) {
      // One broken subscriber must not stop delivery to the others.
      this.#onError(error);
    }
  }
}
