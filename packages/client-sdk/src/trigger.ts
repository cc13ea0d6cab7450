import { describeValue } from "@events/sse-core";
import { treaty } from "@elysiajs/eden/treaty2";
import type { App } from "@events/server";
import { readEdenAnswer } from "./eden-answer.ts";
import { edenConfig } from "./eden-api.ts";
import { EventsClientError } from "./errors.ts";
import type { TriggerResponse } from "./events.ts";
import type { ResolvedEventsClientOptions } from "./options.ts";
import { checkTopicOption } from "./topics.ts";

/** Options of one `trigger()` call. */
export interface TriggerOptions {
  /**
   * Aborts the request; the promise rejects with code `ABORTED`.
   * @default undefined
   */
  readonly signal?: AbortSignal;
  /**
   * The topic to publish the message to (a name, never a pattern).
   * @default undefined (the server's default topic, `"events"`)
   */
  readonly topic?: string;
}

/** Sends one message to every client of a topic; see `EventsClient.trigger`. */
export type TriggerFunction = (message: string, options?: TriggerOptions) => Promise<TriggerResponse>;

/**
 * Creates `trigger()` on Eden treaty over the server's exported `App` type, so the request
 * body and the answer are checked against the server's routes at compile time.
 */
export function createTrigger(client: ResolvedEventsClientOptions): TriggerFunction {
  const api = treaty<App>(client.baseUrl, edenConfig(client));
  return async (message, options = {}) => {
    if (typeof message !== "string") {
      throw new EventsClientError("INVALID_OPTION", `message must be a string (got ${describeValue(message)})`);
    }
    const { signal, topic } = options;
    if (topic !== undefined) checkTopicOption("topic", topic);
    const body = topic === undefined ? { message } : { message, topic };
    const result = await api.events.trigger.post(body, signal === undefined ? {} : { fetch: { signal } });
    return readEdenAnswer(result, { label: `POST ${client.baseUrl}/events/trigger`, signal }, isTriggerResponse, "with an id");
  };
}

function isTriggerResponse(data: unknown): data is TriggerResponse {
  return typeof data === "object" && data !== null && "id" in data && typeof data.id === "string";
}
