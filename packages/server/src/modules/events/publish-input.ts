/**
 * What `POST /events/publish` and `POST /events/trigger` publish: their topics and event name,
 * checked with sse-core's rules and refused as a 400 naming the offending value.
 */
import { RESERVED_EVENT_NAMES } from "@events/contract";
import { assertValidEventName, describeValue, resolvePublishTopics } from "@events/sse-core";
import type { PublishRequest } from "@events/contract";
import { checkInput, HttpError } from "../../errors.ts";
import { IDEMPOTENCY_KEY_HEADER } from "./idempotency-key.ts";

/**
 * The topics of a publish body: exactly one of `topic` and `topics` (1 to 8 names, never a
 * pattern), duplicates removed, in the order given.
 * @throws {HttpError} `INVALID_TOPIC` (400) naming the topic or the rule broken.
 */
export function resolveBodyTopics(body: { readonly topic?: string | undefined; readonly topics?: readonly string[] | undefined }): readonly string[] {
  const { topic, topics } = body;
  if ((topic === undefined) === (topics === undefined)) {
    throw new HttpError(
      "INVALID_TOPIC",
      topic === undefined
        ? 'a publish names its topic: send "topic": "orders/42" or "topics": ["a", "b"]'
        : `send "topic" or "topics", not both (got topic ${describeValue(topic)} and ${topics?.length ?? 0} topics)`,
    );
  }
  return checkInput(() => resolvePublishTopics(topic === undefined ? topics : [topic]));
}

/**
 * The one topic of a trigger: `topic` when given (a name, never a pattern), else `fallback`
 * (the server's default topic).
 * @throws {HttpError} `INVALID_TOPIC` (400) naming the topic and the rule broken.
 */
export function resolveTriggerTopics(topic: string | undefined, fallback: readonly string[]): readonly string[] {
  return topic === undefined ? fallback : checkInput(() => resolvePublishTopics([topic]));
}

/**
 * A publish's event name: `"message"` when omitted; otherwise one non-empty line that is not
 * a name the stream writes itself (`connected`, `gap`, `auth-expired`: a published event of
 * that name would read as the stream's own to every client).
 * @throws {HttpError} `INVALID_EVENT_NAME` (400) naming the value and the fix.
 */
export function resolveEventName(event: string | undefined): string {
  if (event === undefined) return "message";
  if (event === "" || RESERVED_EVENT_NAMES.includes(event)) {
    throw new HttpError(
      "INVALID_EVENT_NAME",
      `event must be a non-empty name other than "connected", "gap" and "auth-expired", which the stream itself sends (got ${describeValue(event)}); ` +
        'omit it for "message", or name it e.g. "order.updated"',
    );
  }
  checkInput(() => assertValidEventName(event));
  return event;
}

/**
 * Runs the check of item `index` of a batch publish, so a refusal names the item: its path
 * gains the index (`/data/status` -> `/2/data/status`, none -> `/2`), and so does its message.
 * @throws {HttpError} what `run` throws, with the index; anything else as it is.
 * @example
 * atBatchItem(2, () => check("order.updated", ["orders/42"], data)); // VALIDATION_FAILED 'batch item 2: data of event "order.updated" at /2/data/status: ...'
 */
export function atBatchItem<T>(index: number, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    const path = `/${index}${error.path ?? ""}`;
    const message = error.path !== undefined && error.message.includes(error.path) ? error.message.replace(error.path, path) : error.message;
    throw new HttpError(error.code, `batch item ${index}: ${message}`, { headers: { ...error.headers }, cause: error, path });
  }
}

/**
 * The items of a publish array, each checked as a single publish body by `checkItem` (a refusal
 * names its index). A batch carries 1 to `maxBatch` items and no `Idempotency-Key`: a key names
 * one event, and a batch keyed as a whole would answer a retry with events that may since have
 * left history; a client that needs retries without duplicates publishes keyed events one by one.
 * @throws {HttpError} `VALIDATION_FAILED` (422) for an empty or too long array,
 *   `INVALID_IDEMPOTENCY_KEY` (400) for a key sent with it, what `checkItem` throws.
 */
export function checkPublishBatch(
  items: readonly unknown[],
  headers: Headers,
  maxBatch: number,
  checkItem: (item: unknown) => PublishRequest,
): PublishRequest[] {
  if (headers.has(IDEMPOTENCY_KEY_HEADER)) {
    throw new HttpError(
      "INVALID_IDEMPOTENCY_KEY",
      "Idempotency-Key names one event, so a publish array cannot carry one; send keyed events one per request, or the array without the header",
    );
  }
  if (items.length === 0 || items.length > maxBatch) {
    throw new HttpError(
      "VALIDATION_FAILED",
      `a publish array carries 1 to ${maxBatch} events (got ${items.length}, server flag --max-batch); ` +
        (items.length === 0 ? "send at least one" : "split it into several requests"),
    );
  }
  return items.map((item, index) => atBatchItem(index, () => checkItem(item)));
}
