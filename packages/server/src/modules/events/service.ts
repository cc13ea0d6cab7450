/**
 * The events service: opens one client's SSE stream and broadcasts triggers, on top of a
 * broker. Knows nothing about HTTP routing; the route module maps requests onto it.
 */
import { type Broker, createEventStream, type EventStreamCloseReason, type KeepAliveHub, type StoredEvent } from "@events/sse-core";
import { HttpError, toBrokerHttpError } from "../../errors.ts";
import type { ConnectedEventData, MessageEventData, TriggerResponse } from "@events/contract";
import { EventsStats } from "./stats.ts";
import { createTriggerAnswer } from "./trigger-answer.ts";

/** The headers of every stream answer. No hop-by-hop headers (`Connection`): the runtime owns those. */
export const STREAM_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "text/event-stream",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
});

/** What {@link EventsService} is built from. */
export interface EventsServiceOptions {
  readonly broker: Broker;
  /** The app's one keepalive hub, or `false`. */
  readonly keepAlive: KeepAliveHub | false;
  /** Sent as `retry:` when a stream opens, in milliseconds. */
  readonly retryMs: number;
  /** Streams served at once before new ones get 503. */
  readonly maxClients: number;
  /** Bytes queued for one client before it is disconnected. */
  readonly maxBufferBytes: number;
  /** Aborted at shutdown: every stream ends and new ones get 503. */
  readonly signal: AbortSignal;
}

/** How a trigger is stored. */
export interface TriggerOptions {
  /** The request's `Idempotency-Key`: a repeat within the broker's window stores nothing. @default none */
  readonly idempotencyKey?: string | undefined;
}

/** How a stream starts. */
export interface OpenStreamInput {
  /** Where the client left off: the `Last-Event-ID` header or the `lastEventId` query parameter. */
  readonly lastEventId?: string | undefined;
}

/** A broker's refusal as the trigger's HTTP error (503 with Retry-After), anything else as it is. */
function refuse(error: unknown): never {
  throw toBrokerHttpError(error) ?? error;
}

/** Opens streams and publishes triggers. One per app. */
export class EventsService {
  /** What this service counts; `/metrics` reads it. */
  readonly stats: EventsStats = new EventsStats();
  readonly #options: EventsServiceOptions;
  readonly #answer: (stored: StoredEvent) => TriggerResponse;

  constructor(options: EventsServiceOptions) {
    this.#options = options;
    this.#answer = createTriggerAnswer(options.broker, this.stats);
  }

  /**
   * Answers `GET /events/stream`: a ready `Response` whose body is sse-core's event stream.
   * A broker that is down is not refused here: EventSource gives up for good on a non-200
   * answer, so the stream answers 200 with `retry:` and ends at once (sse-core's
   * `broker-unavailable` close), and the client retries after that delay.
   * @throws {HttpError} `TOO_MANY_CLIENTS` or `SHUTTING_DOWN` (503 with Retry-After).
   */
  openStream(input: OpenStreamInput = {}): Response {
    this.#checkAdmission();
    const { broker, signal } = this.#options;
    const stats = this.stats;
    stats.streamOpened();
    let counted = true;
    const release = (reason: EventStreamCloseReason): void => {
      if (!counted) return;
      counted = false;
      stats.streamClosed(reason);
    };
    const { lastEventId } = input;
    try {
      const body = createEventStream(broker, {
        // As the client sent it: the broker decides what an empty id means.
        ...(lastEventId === undefined ? {} : { lastEventId }),
        retryMs: this.#options.retryMs,
        openingEvent: ({ subscriberCount, replayed }) => ({
          event: "connected",
          data: JSON.stringify({
            message: "Connected to SSE stream",
            clients: subscriberCount,
            replayed,
          } satisfies ConnectedEventData),
        }),
        keepAlive: this.#options.keepAlive,
        maxBufferBytes: this.#options.maxBufferBytes,
        counters: stats.streams,
        // A client that goes away cancels the body, which unsubscribes at once.
        signal,
        onClose: release,
        // Bun 1.4.5 workaround (2026-12): Bun prints an errored Response body's reason as an uncaught
        // error with its stack, once per slow client, so the stream errors with no reason (onClose
        // still counts why). Delete this line once a Bun release stops printing it: cut a slow
        // client in test/load.e2e.test.ts with it removed and look for a stack on stderr.
        quietErrors: true,
      });
      return new Response(body, { status: 200, headers: STREAM_HEADERS });
    } catch (error) {
      release("error");
      throw error;
    }
  }

  /**
   * Answers `HEAD /events/stream`: the status and headers a `GET` would get now, with no
   * body and no stream opened (nothing is counted or subscribed).
   * @throws {HttpError} `TOO_MANY_CLIENTS` or `SHUTTING_DOWN` (503 with Retry-After).
   */
  headStream(): Response {
    this.#checkAdmission();
    return new Response(null, { status: 200, headers: STREAM_HEADERS });
  }

  /** Refuses a new stream during shutdown or at `maxClients`. */
  #checkAdmission(): void {
    const { signal, maxClients } = this.#options;
    if (signal.aborted) {
      throw new HttpError("SHUTTING_DOWN", "the server is shutting down; reconnect to another node", {
        headers: { "retry-after": "1" },
      });
    }
    if (this.stats.clients >= maxClients) {
      throw new HttpError(
        "TOO_MANY_CLIENTS",
        `this node already serves ${maxClients} streams (server flag --max-clients); retry later or elsewhere`,
        { headers: { "retry-after": String(Math.max(1, Math.ceil(this.#options.retryMs / 1000))) } },
      );
    }
  }

  /**
   * Answers `POST /events/trigger`: stores `{ message }` as a `message` event and reports
   * how many clients of this node it was broadcast to. With an idempotency key the broker
   * has seen within its window, stores nothing and answers the first event's id. Answers at
   * once when the broker stores synchronously (`publishSync`, the in-memory broker), else
   * through its promise.
   * @throws {HttpError} `BROKER_UNAVAILABLE` (503) when the broker surely did not store it,
   *   `PUBLISH_UNCONFIRMED` (503) when it cannot tell (retry with the same key).
   */
  trigger(message: string, options: TriggerOptions = {}): TriggerResponse | Promise<TriggerResponse> {
    const { broker } = this.#options;
    const data = JSON.stringify({ message } satisfies MessageEventData);
    const { idempotencyKey } = options;
    const input = idempotencyKey === undefined ? { event: "message", data } : { event: "message", data, idempotencyKey };
    // No promise where none is needed: each one costs the trigger path (bench/NOTES.md).
    if (broker.publishSync === undefined) return broker.publish(input).then(this.#answer, refuse);
    let stored: StoredEvent;
    try {
      stored = broker.publishSync(input);
    } catch (error) {
      return refuse(error);
    }
    return this.#answer(stored);
  }
}
