/**
 * The publish path of the events service: stores triggers and published events through the
 * broker and answers how many streams of this node follow their topics.
 */
import { type Broker, DEFAULT_TOPIC, type PublishInput, type StoredEvent } from "@events/sse-core";
import type { MessageEventData, PublishRequest, PublishResponse, TriggerResponse } from "@events/contract";
import { HttpError, toBrokerHttpError } from "../../errors.ts";
import type { EventCheck } from "./contract-checker.ts";
import type { LocalSubscribers } from "./local-subscribers.ts";
import { atBatchItem, resolveBodyTopics, resolveEventName, resolveTriggerTopics } from "./publish-input.ts";
import type { EventsStats } from "./stats.ts";
import { createTriggerAnswer } from "./trigger-answer.ts";

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

/** A broker's refusal as the trigger's HTTP error (503 with Retry-After), anything else as it is. */
function refuse(error: unknown): never {
  throw toBrokerHttpError(error) ?? error;
}

/** Stores triggers and publishes. One per service. */
export class EventWriter {
  readonly #broker: Broker;
  readonly #stats: EventsStats;
  /** The streams of this node by their topics: a publish's `clients`. */
  readonly #local: LocalSubscribers;
  /** The default topic alone (frozen): a trigger's topics without one. */
  readonly #defaultTopics: readonly string[];
  readonly #answer: (stored: StoredEvent) => TriggerResponse;

  constructor(broker: Broker, defaultTopics: readonly string[], stats: EventsStats, local: LocalSubscribers) {
    this.#broker = broker;
    this.#stats = stats;
    this.#local = local;
    this.#defaultTopics = defaultTopics;
    this.#answer = createTriggerAnswer((topics) => this.#local.count(topics), stats);
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
      this.#stats.publishAnswered();
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
        this.#stats.publishAnswered();
        return { id: event.id, topics: [...event.topics], clients: this.#local.count(event.topics) };
      });
    const broker = this.#broker;
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
    const broker = this.#broker;
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
