/**
 * Everything the events service counts, in one object it owns: `/metrics` reads it at
 * scrape time, so counting costs a field update and no metrics code runs per event.
 */
import { createEventStreamCounters, type EventStreamCloseReason, type EventStreamCounters } from "@events/sse-core";

/** What {@link EventsStats} counts, readable by anyone; only the service and its routes write. */
export class EventsStats {
  /** What every event stream adds to: events delivered and replayed, gaps, slow-consumer cuts. */
  readonly streams: EventStreamCounters = createEventStreamCounters();
  readonly #triggersRejected = new Map<string, number>();
  readonly #publishesRejected = new Map<string, number>();
  readonly #streamsClosed = new Map<EventStreamCloseReason, number>();
  #clients = 0;
  #published = 0;
  #publishes = 0;

  /** Streams served now (each counted from its request until it ends). */
  get clients(): number {
    return this.#clients;
  }

  /** Triggers answered 200 since the service started (a repeated idempotency key included). */
  get published(): number {
    return this.#published;
  }

  /** `POST /events/publish` requests answered 200 since the service started (a repeated idempotency key included). */
  get publishes(): number {
    return this.#publishes;
  }

  /** Refused publishes by error code. */
  get publishesRejected(): ReadonlyMap<string, number> {
    return this.#publishesRejected;
  }

  /** Refused triggers by error code. */
  get triggersRejected(): ReadonlyMap<string, number> {
    return this.#triggersRejected;
  }

  /** Ended streams by why they ended. */
  get streamsClosed(): ReadonlyMap<EventStreamCloseReason, number> {
    return this.#streamsClosed;
  }

  /** A stream was admitted. */
  streamOpened(): void {
    this.#clients += 1;
  }

  /** A stream ended (called once per admitted stream). */
  streamClosed(reason: EventStreamCloseReason): void {
    this.#clients -= 1;
    this.#streamsClosed.set(reason, (this.#streamsClosed.get(reason) ?? 0) + 1);
  }

  /** A trigger was stored. */
  triggerPublished(): void {
    this.#published += 1;
  }

  /** A publish was stored. */
  publishAnswered(): void {
    this.#publishes += 1;
  }

  /** A publish was refused with this error code. */
  publishRejected(code: string): void {
    this.#publishesRejected.set(code, (this.#publishesRejected.get(code) ?? 0) + 1);
  }

  /** A trigger was refused with this error code. */
  triggerRejected(code: string): void {
    this.#triggersRejected.set(code, (this.#triggersRejected.get(code) ?? 0) + 1);
  }
}
