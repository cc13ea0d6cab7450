/**
 * The in-process publisher: what an app's own code (a route handler, a job, a queue consumer)
 * publishes through, typed by the contract and checked exactly as `POST {prefix}/publish`
 * checks a body, counted in the same metrics.
 */
import { type AnyEventsContract, DEFAULT_MAX_PUBLISH_BATCH, type EventData, type EventName, type EventTopic, type PublishResponse } from "@events/contract";
import { HttpError } from "../../errors.ts";
import type { EventCheck } from "./contract-checker.ts";
import { checkIdempotencyKey } from "./idempotency-key.ts";
import type { EventsService } from "./service.ts";

/** Why an in-process publish was refused. The same codes `POST {prefix}/publish` answers. */
export type EventsPublishErrorCode =
  /** The event name is not one of the contract's (or is `connected`/`gap`). */
  | "INVALID_EVENT_NAME"
  /** A topic breaks the topic rules, is a pattern, or is not one the event type may be published to; or 0 or more than 8 topics. */
  | "INVALID_TOPIC"
  /** `data` does not match the event type's schema: `path` says where. */
  | "VALIDATION_FAILED"
  /** The `idempotencyKey` option is empty, too long, or not printable ASCII. */
  | "INVALID_IDEMPOTENCY_KEY"
  /** The broker surely did not store it: retrying is safe. */
  | "BROKER_UNAVAILABLE"
  /** The broker may or may not have stored it: retry with the same `idempotencyKey`. */
  | "PUBLISH_UNCONFIRMED"
  /** `publishBatch` with no events, more than the plugin's `maxBatch`, or on a broker that cannot store several atomically. */
  | "INVALID_BATCH";

/** A publish the plugin refused; `code` is stable, `message` names the value and the fix. */
export class EventsPublishError extends Error {
  override readonly name = "EventsPublishError";
  readonly code: EventsPublishErrorCode;
  /**
   * For `VALIDATION_FAILED`: the JSON pointer of the offending value inside `data`
   * (`"/status"`; `""` for `data` itself). Over HTTP the same value is at `/data/status`.
   */
  readonly path: string | undefined;
  /** For a refusal of `publishBatch` that one event caused: that event's index (nothing of the batch was stored). */
  readonly index: number | undefined;

  constructor(code: EventsPublishErrorCode, message: string, options?: { cause?: unknown; path?: string; index?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options?.path;
    this.index = options?.index;
  }
}

/** Options of one in-process publish. */
export interface PublishEventOptions {
  /** Names this event: a repeat within the broker's window stores nothing and answers the first id. @default none */
  readonly idempotencyKey?: string;
}

/**
 * One event of {@link EventsPublisher.publishBatch}: `publish`'s arguments as an object, typed
 * per event name (the data and topics of the name it carries).
 */
export type PublishBatchItem<Contract extends AnyEventsContract, Name extends EventName<Contract> = EventName<Contract>> = Name extends unknown
  ? {
      readonly topic: EventTopic<Contract, Name> | readonly EventTopic<Contract, Name>[];
      readonly event: Name;
      readonly data: EventData<Contract, Name>;
    }
  : never;

/** Publishes the events of a contract from the app's own code. */
export interface EventsPublisher<Contract extends AnyEventsContract> {
  /**
   * Stores one event (one id) in the history of `topic` (or of each of 1 to 8 topics) and
   * delivers it to every stream following one of them. Compiles only with an event name of the
   * contract, its data type and a topic it may be published to; checked at run time too.
   * @throws {EventsPublishError} (a rejected promise) naming what is wrong; any other error (a
   *   bug, data `JSON.stringify` cannot write) as it is.
   * @example
   * await events.publisher.publish("orders/42", "order.updated", { id: "42", status: "paid" });
   */
  publish<const Name extends EventName<Contract>>(
    topic: NoInfer<EventTopic<Contract, Name>> | readonly NoInfer<EventTopic<Contract, Name>>[],
    event: Name,
    data: NoInfer<EventData<Contract, Name>>,
    options?: PublishEventOptions,
  ): Promise<PublishResponse>;
  /**
   * Stores 1 to `maxBatch` (default 100) events at once, all or none, with consecutive ids in
   * order, each checked as `publish` checks it (the refusal names its `index`), and delivers
   * them as one burst: a stream following several of them gets them in one socket write.
   * The array form of `POST {prefix}/publish`; no `idempotencyKey` (a key names one event).
   * @throws {EventsPublishError} as `publish`, with `index`; `INVALID_BATCH` for an empty or
   *   too long array, or a broker that cannot store several events atomically.
   * @example
   * await events.publisher.publishBatch([
   *   { topic: "orders/42", event: "order.updated", data: { id: "42", status: "paid" } },
   *   { topic: "orders/43", event: "order.updated", data: { id: "43", status: "paid" } },
   * ]);
   */
  publishBatch(items: readonly PublishBatchItem<Contract>[]): Promise<PublishResponse[]>;
}

/** The in-process form of an HTTP refusal; anything else as it is. */
function toPublishError(error: unknown): unknown {
  if (!(error instanceof HttpError)) return error;
  // A batch item's refusal has a path that starts with its index: `/2`, `/2/data/status`.
  const item = /^\/(\d+)(\/.*)?$/.exec(error.path ?? "");
  const index = item === null ? {} : { index: Number(item[1]) };
  switch (error.code) {
    case "INVALID_EVENT_NAME":
    case "INVALID_TOPIC":
    case "INVALID_IDEMPOTENCY_KEY":
    case "BROKER_UNAVAILABLE":
    case "PUBLISH_UNCONFIRMED":
      return new EventsPublishError(error.code, error.message, { cause: error, ...index });
    case "BAD_REQUEST":
      // The only one a publish answers: a broker with no atomic batch.
      return new EventsPublishError("INVALID_BATCH", error.message, { cause: error });
    case "VALIDATION_FAILED": {
      const path = (item === null ? error.path : (item[2] ?? ""))?.replace(/^\/data/, "");
      return new EventsPublishError("VALIDATION_FAILED", error.message, { cause: error, ...index, ...(path === undefined ? {} : { path }) });
    }
    default:
      return error;
  }
}

/**
 * Builds the publisher of a service: `check` holds events to the contract (none: any event,
 * any JSON data, as the HTTP route in the same mode).
 * @example
 * const publisher = createEventsPublisher<typeof shopEvents>(service, createContractCheck(shopEvents));
 */
export function createEventsPublisher<Contract extends AnyEventsContract>(
  service: EventsService,
  check: EventCheck | undefined,
  maxBatch: number = DEFAULT_MAX_PUBLISH_BATCH,
): EventsPublisher<Contract> {
  // Counted as the HTTP route counts its refusals (events_publishes_rejected_total{reason}).
  const refuse = (error: unknown): Promise<never> => {
    if (error instanceof HttpError) service.stats.publishRejected(error.code);
    return Promise.reject(toPublishError(error));
  };
  return {
    publish(topic, event, data, options = {}) {
      try {
        const idempotencyKey = options.idempotencyKey === undefined ? undefined : checkIdempotencyKey(options.idempotencyKey);
        const target = typeof topic === "string" ? { topic } : { topics: [...(topic as readonly string[])] };
        const answer = service.publish({ ...target, event, data }, { idempotencyKey, check });
        return Promise.resolve(answer).catch(refuse);
      } catch (error) {
        return refuse(error);
      }
    },
    publishBatch(items) {
      if (!Array.isArray(items) || items.length === 0 || items.length > maxBatch) {
        const got = Array.isArray(items) ? `${items.length} events` : typeof items;
        return Promise.reject(new EventsPublishError("INVALID_BATCH", `publishBatch takes 1 to ${maxBatch} events (got ${got}; the plugin's maxBatch)`));
      }
      try {
        const bodies = items.map(({ topic, event, data }) => (typeof topic === "string" ? { topic, event, data } : { topics: [...(topic as readonly string[])], event, data }));
        return Promise.resolve(service.publishBatch(bodies, { check })).catch(refuse);
      } catch (error) {
        return refuse(error);
      }
    },
  };
}
