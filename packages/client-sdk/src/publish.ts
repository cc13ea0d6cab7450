import { treaty } from "@elysiajs/eden/treaty2";
import type { PublishResponse as ContractPublishResponse } from "@events/contract";
import { SseError, assertValidEventName, describeValue } from "@events/sse-core";
import type { App } from "@events/server";
import { readEdenAnswer } from "./eden-answer.ts";
import { edenConfig } from "./eden-api.ts";
import { EventsClientError } from "./errors.ts";
import type { ResolvedEventsClientOptions } from "./options.ts";
import { checkPublishTopics, checkTopicOption } from "./topics.ts";

/** The answer of `publish()`: `{ id, topics, clients }` as the contract declares it. */
export type PublishResponse = ContractPublishResponse;

/** Where a publish goes: one topic, or 1 to 8 topics (one event, one id; a client following several gets it once). */
export type PublishTarget =
  | { readonly topic: string; readonly topics?: never }
  | { readonly topics: readonly string[]; readonly topic?: never };

/** What `publish()` sends (`POST /events/publish`). */
export type PublishInput = PublishTarget & {
  /**
   * The event type (its `event:` line), e.g. `"order.updated"`: one line; the server refuses
   * the stream's own `connected` and `gap`.
   * @default undefined (the server's default, `"message"`)
   */
  readonly event?: string;
  /** Any JSON value; subscribers receive it parsed as the event's `data` (typed `unknown` for now). */
  readonly data: unknown;
};

/** Options of one `publish()` call. */
export interface PublishOptions {
  /**
   * Aborts the request; the promise rejects with code `ABORTED`.
   * @default undefined
   */
  readonly signal?: AbortSignal;
}

/** Publishes one event to one or more topics; see `EventsClient.publish`. */
export type PublishFunction = (input: PublishInput, options?: PublishOptions) => Promise<PublishResponse>;

/**
 * Creates `publish()` on Eden treaty over the server's exported `App` type. The input is
 * checked with the server's own rules before anything is sent (`INVALID_OPTION`).
 */
export function createPublish(client: ResolvedEventsClientOptions): PublishFunction {
  const api = treaty<App>(client.baseUrl, edenConfig(client));
  return async (input, options = {}) => {
    const body = checkPublishInput(input);
    const { signal } = options;
    const result = await api.events.publish.post(body, signal === undefined ? {} : { fetch: { signal } });
    return readEdenAnswer(result, { label: `POST ${client.baseUrl}/events/publish`, signal }, isPublishResponse, "{ id, topics, clients }");
  };
}

/** The request body for `input`, or `INVALID_OPTION` naming what is wrong. */
function checkPublishInput(input: PublishInput): { topic?: string; topics?: string[]; event?: string; data: unknown } {
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
