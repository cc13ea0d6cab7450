/**
 * The events service: opens one client's SSE stream, broadcasts triggers and publishes
 * events to topics, on top of a broker. Knows nothing about HTTP routing; the route module
 * maps requests onto it.
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
  type PublishInput,
  resolveSubscribeTopics,
  type StoredEvent,
  type SubscribedTopic,
} from "@events/sse-core";
import { checkInput, HttpError, toBrokerHttpError } from "../../errors.ts";
import type { AuthExpiredEventData, ConnectedEventData, MessageEventData, PublishRequest, PublishResponse, TriggerResponse } from "@events/contract";
import type { EventCheck } from "./contract-checker.ts";
import { LocalSubscribers } from "./local-subscribers.ts";
import { createStreamEntries, type OwnStreamOptions, type StreamEntry } from "./stream-entry.ts";
import { atBatchItem, resolveBodyTopics, resolveEventName, resolveTriggerTopics } from "./publish-input.ts";
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
  /** The topic of a stream without topics and of a trigger without one. @default "events" */
  readonly defaultTopic?: string;
  /** Topics and patterns one stream may follow before `TOO_MANY_TOPICS`. @default 32 */
  readonly maxTopics?: number;
  /** Times streams' `endsAtMs` (token expiry). Injectable for tests. @default sse-core's shared scheduler */
  readonly deadlines?: DeadlineScheduler | undefined;
}

/** How a trigger is stored. */
export interface TriggerOptions {
  /** The request's `Idempotency-Key`: a repeat within the broker's window stores nothing. @default none */
  readonly idempotencyKey?: string | undefined;
  /** The topic to publish to (a name, never a pattern). @default the service's default topic */
  readonly topic?: string | undefined;
  /** Holds the `message` event to the app's contract before it is stored. @default none */
  readonly check?: EventCheck | undefined;
  /** Throws for a topic the caller may not publish to (403), once the topic is resolved. @default none (any) */
  readonly permit?: ((topics: readonly string[]) => void) | undefined;
}

/** How a publish is stored. */
export interface PublishOptions {
  /** The request's `Idempotency-Key`: a repeat within the broker's window stores nothing. @default none */
  readonly idempotencyKey?: string | undefined;
  /**
   * Holds the event to the app's contract once its topics and name are resolved, before it is
   * stored. @default none (any event name, any JSON data)
   */
  readonly check?: EventCheck | undefined;
  /** Throws for a topic the caller may not publish to (403), once the topics are resolved. @default none (any) */
  readonly permit?: ((topics: readonly string[]) => void) | undefined;
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
  /** The streams of this node by their topics: a publish's `clients`. */
  readonly #local = new LocalSubscribers();
  readonly #defaultTopic: string;
  readonly #defaultTopics: readonly string[];
  readonly #defaultSubscription: readonly SubscribedTopic[];
  readonly #maxTopics: number;
  /** Makes each stream's options on the ones all streams share. */
  readonly #streamEntry: (own: OwnStreamOptions, subscription: readonly SubscribedTopic[]) => StreamEntry;

  constructor(options: EventsServiceOptions) {
    this.#options = options;
    this.#defaultTopic = options.defaultTopic ?? DEFAULT_TOPIC;
    this.#defaultTopics = Object.freeze([this.#defaultTopic]);
    // Frozen: every default-topic stream shares its pattern list in the topic indexes.
    this.#defaultSubscription = Object.freeze(resolveSubscribeTopics(this.#defaultTopics));
    this.#maxTopics = options.maxTopics ?? 32;
    this.#streamEntry = createStreamEntries(
      {
        retryMs: options.retryMs,
        openingEvent: connectedEvent,
        keepAlive: options.keepAlive,
        maxBufferBytes: options.maxBufferBytes,
        counters: this.stats.streams,
        // A client that goes away cancels the body, which unsubscribes at once.
        signal: options.signal,
        deadlines: options.deadlines,
        // Bun 1.4.5 workaround (2026-12): Bun prints an errored Response body's reason as an uncaught
        // error with its stack, once per slow client, so the stream errors with no reason (onClose
        // still counts why). Delete this line once a Bun release stops printing it: cut a slow
        // client in test/load.e2e.test.ts with it removed and look for a stack on stderr.
        quietErrors: true,
      },
      this.stats,
      this.#local,
    );
    this.#answer = createTriggerAnswer((topics) => this.#local.count(topics), this.stats);
  }

  /** The topic of a stream without topics and of a trigger without one. */
  get defaultTopic(): string {
    return this.#defaultTopic;
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
    this.stats.streamOpened();
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
    if (this.stats.clients >= maxClients) {
      throw new HttpError(
        "TOO_MANY_CLIENTS",
        `this node already serves ${maxClients} streams (server flag --max-clients); retry later or elsewhere`,
        { headers: { "retry-after": String(Math.max(1, Math.ceil(this.#options.retryMs / 1000))) } },
      );
    }
  }

  /**
   * Answers `POST /events/trigger`: stores `{ message }` as a `message` event of `topic` (default:
   * the default topic) and reports how many streams of this node follow that topic. With an idempotency key the broker
   * has seen within its window, stores nothing and answers the first event's id. Answers at
   * once when the broker stores synchronously (`publishSync`, the in-memory broker), else
   * through its promise.
   * @throws {HttpError} `BROKER_UNAVAILABLE` (503) when the broker surely did not store it,
   *   `PUBLISH_UNCONFIRMED` (503) when it cannot tell (retry with the same key); `INVALID_TOPIC`
   *   (400) for a topic that is not a name.
   */
  trigger(message: string, options: TriggerOptions = {}): TriggerResponse | Promise<TriggerResponse> {
    const { idempotencyKey, check, permit } = options;
    const topics = resolveTriggerTopics(options.topic, this.#defaultTopics);
    if (permit !== undefined) permit(topics);
    if (check !== undefined) check("message", topics, { message } satisfies MessageEventData);
    const data = JSON.stringify({ message } satisfies MessageEventData);
    // No spread: copying properties was measurable on the trigger path (bench/NOTES.md). Fields
    // are added only when set, so a broker sees exactly what it saw before topics.
    const input: { event: string; data: string; topics?: readonly string[]; idempotencyKey?: string } = { event: "message", data };
    // Left out for the brokers' own default topic: the Goa trigger stays what it was, with no
    // topic check on its path.
    if (topics.length !== 1 || topics[0] !== DEFAULT_TOPIC) input.topics = topics;
    if (idempotencyKey !== undefined) input.idempotencyKey = idempotencyKey;
    return this.#publish(input, this.#answer);
  }

  /**
   * Answers `POST /events/publish`: stores `data` (as its JSON text) under the event name
   * `event` (default `message`) in the history of each topic, and reports how many streams of
   * this node follow one of them. No subscriber is not an error (`clients: 0`).
   * @throws {HttpError} `INVALID_TOPIC` (both or neither of `topic`/`topics`, a pattern, an
   *   empty or too long list, a bad name) or `INVALID_EVENT_NAME` (400); whatever `check`
   *   throws; `BROKER_UNAVAILABLE` and `PUBLISH_UNCONFIRMED` (503) as {@link trigger}.
   */
  publish(body: PublishRequest, options: PublishOptions = {}): PublishResponse | Promise<PublishResponse> {
    const topics = resolveBodyTopics(body);
    const event = resolveEventName(body.event);
    const { idempotencyKey, check, permit } = options;
    if (permit !== undefined) permit(topics);
    if (check !== undefined) check(event, topics, body.data);
    const input: PublishInput = {
      event,
      data: JSON.stringify(body.data),
      topics,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    };
    return this.#publish(input, (stored) => {
      this.stats.publishAnswered();
      return { id: stored.id, topics: [...stored.topics], clients: this.#local.count(stored.topics) };
    });
  }

  /**
   * Answers `POST /events/publish` with an array: checks every item as {@link publish} does
   * (a refusal names the item's index, e.g. `/2/data/status`), then stores them all in one
   * broker operation (all or none, consecutive ids, delivered in order) and answers each item's
   * single answer, in order.
   * @throws {HttpError} as {@link publish}, for the first bad item, nothing stored;
   *   `BAD_REQUEST` (400) when the broker cannot store a batch atomically (no `publishBatch`).
   */
  publishBatch(bodies: readonly PublishRequest[], options: Pick<PublishOptions, "check" | "permit"> = {}): PublishResponse[] | Promise<PublishResponse[]> {
    const { check, permit } = options;
    const inputs = bodies.map((body, index) =>
      atBatchItem(index, (): PublishInput => {
        const topics = resolveBodyTopics(body);
        const event = resolveEventName(body.event);
        if (permit !== undefined) permit(topics);
        if (check !== undefined) check(event, topics, body.data);
        return { event, data: JSON.stringify(body.data), topics };
      }),
    );
    const answer = (stored: readonly StoredEvent[]): PublishResponse[] =>
      stored.map((event) => {
        this.stats.publishAnswered();
        return { id: event.id, topics: [...event.topics], clients: this.#local.count(event.topics) };
      });
    const { broker } = this.#options;
    if (broker.publishBatchSync !== undefined) {
      let stored: StoredEvent[];
      try {
        stored = broker.publishBatchSync(inputs);
      } catch (error) {
        return refuse(error);
      }
      return answer(stored);
    }
    if (broker.publishBatch === undefined) {
      throw new HttpError("BAD_REQUEST", "this server's broker cannot store several events atomically (it has no publishBatch); send one event per request");
    }
    return broker.publishBatch(inputs).then(answer, refuse);
  }

  /** Publishes through `publishSync` when the broker has it (no promise), else `publish`. */
  #publish<T>(input: PublishInput, answer: (stored: StoredEvent) => T): T | Promise<T> {
    const { broker } = this.#options;
    // No promise where none is needed: each one costs the trigger path (bench/NOTES.md).
    if (broker.publishSync === undefined) return broker.publish(input).then(answer, refuse);
    let stored: StoredEvent;
    try {
      stored = broker.publishSync(input);
    } catch (error) {
      return refuse(error);
    }
    return answer(stored);
  }
}
