/**
 * The stream-opening path of the events service: checks a stream's topics and admission, then
 * answers with a ready `Response` whose body is sse-core's event stream (or, for `HEAD`, none).
 */
import {
  type Broker,
  createEventStream,
  type DeadlineScheduler,
  DEFAULT_TOPIC,
  type EventStreamCloseReason,
  type EventStreamSummary,
  type KeepAliveHub,
  type OpeningEventContext,
  resolveSubscribeTopics,
  type StreamBody,
  type SubscribedTopic,
} from "@events/sse-core";
import type { AuthExpiredEventData, ConnectedEventData } from "@events/contract";
import { checkInput, HttpError } from "../../errors.ts";
import type { LocalSubscribers } from "./local-subscribers.ts";
import type { EventsStats } from "./stats.ts";
import { createStreamEntries, type OwnStreamOptions, type StreamEntry } from "./stream-entry.ts";

/** The headers of every stream answer. No hop-by-hop headers (`Connection`): the runtime owns those. */
export const STREAM_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "text/event-stream",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
});

/** What a {@link StreamOpener} is built from: the service's options it reads. */
export interface StreamOpenerOptions {
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
  /** Topics and patterns one stream may follow before `TOO_MANY_TOPICS`. @default 32 */
  readonly maxTopics?: number;
  /** Times streams' `endsAtMs` (token expiry). Injectable for tests. @default sse-core's shared scheduler */
  readonly deadlines?: DeadlineScheduler | undefined;
  /** Makes each stream's Response body. @default sse-core's `webStreamBody` */
  readonly streamBody?: StreamBody | undefined;
}

/** How a stream starts. */
export interface OpenStreamInput {
  /** Where the client left off: the `Last-Event-ID` header or the `lastEventId` query parameter. */
  readonly lastEventId?: string | undefined;
  /**
   * The topics and patterns to follow, as the client sent them (`?topic=` values); none or an
   * empty list: the default topic.
   * @default [defaultTopic]
   */
  readonly topics?: readonly string[] | undefined;
  /** Called once when a stream this call returned ends, with why (not when the call throws). @default none */
  readonly onClose?: ((reason: EventStreamCloseReason, summary: EventStreamSummary) => void) | undefined;
  /**
   * Throws (401, 403) unless the caller may follow the resolved subscription; called after the
   * topics are checked and before the stream is admitted. @default none (any)
   */
  readonly admit?: ((subscription: readonly SubscribedTopic[]) => void) | undefined;
  /**
   * When the caller's grant ends (its token's `exp`), in epoch ms: the stream then writes an
   * `auth-expired` event and ends. @default never
   */
  readonly endsAtMs?: number | undefined;
}

/** How `HEAD` answers for a stream. */
export interface HeadStreamInput {
  /** The topics asked for; checked (400) only with `admit`. @default [defaultTopic] */
  readonly topics?: readonly string[] | undefined;
  /** As {@link OpenStreamInput.admit}. @default none (any, and the topics are not checked) */
  readonly admit?: ((subscription: readonly SubscribedTopic[]) => void) | undefined;
}

/** The last event of a stream whose grant expired at `expiredAtMs` (no id: the client's Last-Event-ID stays). */
function authExpiredEvent(expiredAtMs: number): { event: string; data: string } {
  const data: AuthExpiredEventData = { message: "token expired; reconnect with a fresh token", expiredAt: new Date(expiredAtMs).toISOString() };
  return { event: "auth-expired", data: JSON.stringify(data) };
}

/** The `connected` event opening every stream: one function for all (a closure per stream costs memory per idle client). */
function connectedEvent({ subscriberCount, replayed }: OpeningEventContext): { event: string; data: string } {
  return {
    event: "connected",
    data: JSON.stringify({ message: "Connected to SSE stream", clients: subscriberCount, replayed } satisfies ConnectedEventData),
  };
}

/** Opens streams and answers `HEAD` for them. One per service. */
export class StreamOpener {
  readonly #options: StreamOpenerOptions;
  readonly #stats: EventsStats;
  /** The streams of this node by their topics: each stream opened joins them (a publish counts them). */
  readonly #local: LocalSubscribers;
  readonly #defaultTopic: string;
  readonly #defaultTopics: readonly string[];
  readonly #defaultSubscription: readonly SubscribedTopic[];
  readonly #maxTopics: number;
  /** Makes each stream's options on the ones all streams share. */
  readonly #streamEntry: (own: OwnStreamOptions, subscription: readonly SubscribedTopic[]) => StreamEntry;

  /** `defaultTopics` is the default topic alone, frozen: shared with the service's publish path. */
  constructor(options: StreamOpenerOptions, defaultTopics: readonly [string], stats: EventsStats, local: LocalSubscribers) {
    this.#options = options;
    this.#stats = stats;
    this.#local = local;
    this.#defaultTopic = defaultTopics[0];
    this.#defaultTopics = defaultTopics;
    // Frozen: every default-topic stream shares its pattern list in the topic indexes.
    this.#defaultSubscription = Object.freeze(resolveSubscribeTopics(this.#defaultTopics));
    this.#maxTopics = options.maxTopics ?? 32;
    this.#streamEntry = createStreamEntries(
      {
        retryMs: options.retryMs,
        openingEvent: connectedEvent,
        keepAlive: options.keepAlive,
        maxBufferBytes: options.maxBufferBytes,
        counters: stats.streams,
        // A client that goes away cancels the body, which unsubscribes at once.
        signal: options.signal,
        deadlines: options.deadlines,
        body: options.streamBody,
        // Bun 1.4.5 workaround (2026-12): Bun prints an errored Response body's reason as an uncaught
        // error with its stack, once per slow client, so the stream errors with no reason (onClose
        // still counts why). Delete this line once a Bun release stops printing it: cut a slow
        // client in test/load.e2e.test.ts with it removed and look for a stack on stderr.
        quietErrors: true,
      },
      stats,
      local,
    );
  }

  /**
   * The topic options of a stream: none for the brokers' own default topic (the Goa stream,
   * subscribed exactly as before topics), else its topics and the default topic.
   */
  #topicsOption(subscription: readonly SubscribedTopic[]): { topics?: readonly string[]; defaultTopic?: string } {
    if (subscription === this.#defaultSubscription) {
      return this.#defaultTopic === DEFAULT_TOPIC ? {} : { topics: this.#defaultTopics, defaultTopic: this.#defaultTopic };
    }
    return { topics: subscription.map((topic) => topic.text), defaultTopic: this.#defaultTopic };
  }

  /**
   * A stream's subscription from the `?topic=` values it sent: the default topic for none.
   * @throws {HttpError} `TOO_MANY_TOPICS` past `maxTopics`, `INVALID_TOPIC_PATTERN` (400) for a
   *   value that is not a topic, `<topic>/*` or `*`, an empty one included (the message names it).
   */
  #subscriptionOf(topics: readonly string[] | undefined): readonly SubscribedTopic[] {
    if (topics === undefined || topics.length === 0) return this.#defaultSubscription;
    if (topics.length > this.#maxTopics) {
      throw new HttpError(
        "TOO_MANY_TOPICS",
        `a stream follows at most ${this.#maxTopics} topics and patterns (got ${topics.length}, server flag --max-topics); ` +
          'follow a pattern such as "orders/*" instead of many topics, or open a second stream',
      );
    }
    return checkInput(() => resolveSubscribeTopics(topics));
  }

  /**
   * Answers `GET /events/stream`: a ready `Response` whose body is sse-core's event stream.
   * A broker that is down is not refused here: EventSource gives up for good on a non-200
   * answer, so the stream answers 200 with `retry:` and ends at once (sse-core's
   * `broker-unavailable` close), and the client retries after that delay.
   * @throws {HttpError} `TOO_MANY_CLIENTS` or `SHUTTING_DOWN` (503 with Retry-After);
   *   `TOO_MANY_TOPICS` or `INVALID_TOPIC_PATTERN` (400) for the topics asked for; whatever
   *   `admit` throws.
   */
  openStream(input: OpenStreamInput = {}): Response {
    const subscription = this.#subscriptionOf(input.topics);
    input.admit?.(subscription);
    this.#checkAdmission();
    const { lastEventId, endsAtMs } = input;
    const entry = this.#streamEntry({
      // As the client sent it: the broker decides what an empty id means.
      lastEventId,
      ...this.#topicsOption(subscription),
      ...(endsAtMs === undefined ? {} : { endsAt: endsAtMs, endEvent: authExpiredEvent(endsAtMs) }),
    }, subscription);
    this.#stats.streamOpened();
    // The entry identifies this stream among the local subscribers (no object of its own).
    this.#local.add(entry, subscription);
    try {
      const body = createEventStream(this.#options.broker, entry);
      const response = new Response(body, { status: 200, headers: STREAM_HEADERS });
      entry.logClose = input.onClose;
      return response;
    } catch (error) {
      entry.onClose("error");
      throw error;
    }
  }

  /**
   * Answers `HEAD /events/stream`: the status and headers a `GET` would get now, with no
   * body and no stream opened (nothing is counted or subscribed).
   * @throws {HttpError} `TOO_MANY_CLIENTS` or `SHUTTING_DOWN` (503 with Retry-After); with
   *   `admit`, the topics' 400s and whatever `admit` throws, as a `GET` would.
   */
  headStream(input: HeadStreamInput = {}): Response {
    if (input.admit !== undefined) input.admit(this.#subscriptionOf(input.topics));
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
    if (this.#stats.clients >= maxClients) {
      throw new HttpError(
        "TOO_MANY_CLIENTS",
        `this node already serves ${maxClients} streams (server flag --max-clients); retry later or elsewhere`,
        { headers: { "retry-after": String(Math.max(1, Math.ceil(this.#options.retryMs / 1000))) } },
      );
    }
  }
}
