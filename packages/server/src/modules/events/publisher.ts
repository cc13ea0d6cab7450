/**
 * The in-process publisher: what an app's own code (a route handler, a job, a queue consumer)
 * publishes through, typed by the contract and checked exactly as `POST {prefix}/publish`
 * checks a body, counted in the same metrics.
 */
import type { AnyEventsContract, EventData, EventName, EventTopic, PublishResponse } from "@events/contract";
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
  | "PUBLISH_UNCONFIRMED";

/** A publish the plugin refused; `code` is stable, `message` names the value and the fix. */
export class EventsPublishError extends Error {
  override readonly name = "EventsPublishError";
  readonly code: EventsPublishErrorCode;
  /**
   * For `VALIDATION_FAILED`: the JSON pointer of the offending value inside `data`
   * (`"/status"`; `""` for `data` itself). Over HTTP the same value is at `/data/status`.
   */
  readonly path: string | undefined;

  constructor(code: EventsPublishErrorCode, message: string, options?: { cause?: unknown; path?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options?.path;
  }
}

/** Options of one in-process publish. */
export interface PublishEventOptions {
  /** Names this event: a repeat within the broker's window stores nothing and answers the first id. @default none */
  readonly idempotencyKey?: string;
}

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
}

/** The in-process form of an HTTP refusal; anything else as it is. */
function toPublishError(error: unknown): unknown {
  if (!(error instanceof HttpError)) return error;
  switch (error.code) {
    case "INVALID_EVENT_NAME":
    case "INVALID_TOPIC":
    case "INVALID_IDEMPOTENCY_KEY":
    case "BROKER_UNAVAILABLE":
    case "PUBLISH_UNCONFIRMED":
      return new EventsPublishError(error.code, error.message, { cause: error });
    case "VALIDATION_FAILED": {
      const path = error.path?.replace(/^\/data/, "");
      return new EventsPublishError("VALIDATION_FAILED", error.message, path === undefined ? { cause: error } : { cause: error, path });
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
export function createEventsPublisher<Contract extends AnyEventsContract>(service: EventsService, check: EventCheck | undefined): EventsPublisher<Contract> {
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
  };
}
