import type { PublishResponse as ContractPublishResponse } from "@events/contract";
import { SseError, assertValidEventName, describeValue } from "@events/sse-core";
import type { DefaultPrefix, PublishInputOf } from "./app-types.ts";
import { EventsClientError } from "./errors.ts";
import type { ResolvedEventsClientOptions } from "./options.ts";
import { postJson } from "./post-json.ts";
import { checkPublishTopics, checkTopicOption } from "./topics.ts";

/** The answer of `publish()`: `{ id, topics, clients }` as the contract declares it. */
export type PublishResponse = ContractPublishResponse;

/** Options of one `publish()` call. */
export interface PublishOptions {
  /**
   * Aborts the request; the promise rejects with code `ABORTED`.
   * @default undefined
   */
  readonly signal?: AbortSignal;
}

/**
 * Publishes one event to one or more topics, or several events at once; see `EventsClient.publish`.
 * An array is stored by the server all or none (up to its `--max-batch`, default 100), with
 * consecutive ids, and answered with one answer per event, in order.
 */
export interface PublishFunction<App = unknown, Prefix extends string = DefaultPrefix> {
  (inputs: readonly PublishInputOf<App, Prefix>[], options?: PublishOptions): Promise<PublishResponse[]>;
  // Last, so `ReturnType<typeof client.publish>` is the single form's.
  (input: PublishInputOf<App, Prefix>, options?: PublishOptions): Promise<PublishResponse>;
}

type PublishBody = { topic?: string; topics?: string[]; event?: string; data: unknown };

/**
 * Creates `publish()`: `POST {prefix}/publish` with one event, or an array of them. Each input
 * is checked with the server's own topic and event-name rules before anything is sent
 * (`INVALID_OPTION`, naming the index in an array); `data` is checked by the server against
 * the contract (422 with the JSON path, e.g. `/2/data/status` in an array, as `HTTP_ERROR`).
 */
export function createPublish(client: ResolvedEventsClientOptions): PublishFunction {
  const path = `${client.prefix}/publish`;
  async function publish(input: unknown, options: PublishOptions = {}): Promise<PublishResponse | PublishResponse[]> {
    const { signal } = options;
    if (!Array.isArray(input)) {
      const body = checkPublishInput(input);
      return postJson(client, { path, body, signal, isAnswer: isPublishResponse, shape: "{ id, topics, clients }" });
    }
    if (input.length === 0) throw new EventsClientError("INVALID_OPTION", "publish takes one event or a non-empty array of them (got [])");
    const body = input.map((item: unknown, index) => {
      try {
        return checkPublishInput(item);
      } catch (error) {
        if (!(error instanceof EventsClientError)) throw error;
        throw new EventsClientError("INVALID_OPTION", `inputs[${index}]: ${error.message}`, { cause: error });
      }
    });
    const isAnswer = (data: unknown): data is PublishResponse[] => Array.isArray(data) && data.length === body.length && data.every(isPublishResponse);
    return postJson(client, { path, body, signal, isAnswer, shape: `an array of ${body.length} { id, topics, clients }` });
  }
  return publish as PublishFunction;
}

/** The request body for `input`, or `INVALID_OPTION` naming what is wrong. */
function checkPublishInput(input: unknown): PublishBody {
  if (typeof input !== "object" || input === null) {
    throw new EventsClientError("INVALID_OPTION", `publish takes { topic | topics, event?, data } (got ${describeValue(input)})`);
  }
  const { topic, topics, event, data } = input as { topic?: unknown; topics?: unknown; event?: unknown; data?: unknown };
  if ((topic === undefined) === (topics === undefined)) {
    throw new EventsClientError("INVALID_OPTION", 'publish needs exactly one of topic and topics, e.g. { topic: "orders/42", data }');
  }
  if (event !== undefined) checkEventName(event);
  if (data === undefined) throw new EventsClientError("INVALID_OPTION", "publish needs data: any JSON value (null for none)");
  try {
    JSON.stringify(data);
  } catch (cause) {
    throw new EventsClientError("INVALID_OPTION", `publish data must be serialisable as JSON (${String(cause)})`, { cause });
  }
  const target = topic === undefined ? { topics: checkedTopics(topics) } : { topic: checkTopicOption("topic", topic) };
  return { ...target, ...(event === undefined ? {} : { event: event as string }), data };
}

function checkedTopics(topics: unknown): string[] {
  if (!Array.isArray(topics)) throw new EventsClientError("INVALID_OPTION", `topics must be a list of topic names (got ${describeValue(topics)})`);
  checkPublishTopics("topics", topics);
  return [...(topics as string[])];
}

function checkEventName(event: unknown): void {
  if (typeof event !== "string" || event === "") {
    throw new EventsClientError("INVALID_OPTION", `event must be a non-empty event name such as "order.updated" (got ${describeValue(event)})`);
  }
  try {
    assertValidEventName(event);
  } catch (cause) {
    if (!(cause instanceof SseError)) throw cause;
    throw new EventsClientError("INVALID_OPTION", `event: ${cause.message}`, { cause });
  }
}

function isPublishResponse(data: unknown): data is PublishResponse {
  if (typeof data !== "object" || data === null) return false;
  const { id, topics, clients } = data as { id?: unknown; topics?: unknown; clients?: unknown };
  return typeof id === "string" && Array.isArray(topics) && topics.every((topic) => typeof topic === "string") && typeof clients === "number";
}
