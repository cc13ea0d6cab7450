import { describeValue } from "@events/sse-core";
import { EventsClientError } from "./errors.ts";
import type { TriggerResponse } from "./events.ts";
import type { ResolvedEventsClientOptions } from "./options.ts";
import { postJson } from "./post-json.ts";
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

/** Creates `trigger()`: `POST {prefix}/trigger` with `{ message, topic? }`. */
export function createTrigger(client: ResolvedEventsClientOptions): TriggerFunction {
  return async (message, options = {}) => {
    if (typeof message !== "string") {
      throw new EventsClientError("INVALID_OPTION", `message must be a string (got ${describeValue(message)})`);
    }
    const { signal, topic } = options;
    if (topic !== undefined) checkTopicOption("topic", topic);
    const body = topic === undefined ? { message } : { message, topic };
    return postJson(client, { path: `${client.prefix}/trigger`, body, signal, isAnswer: isTriggerResponse, shape: "with an id" });
  };
}

function isTriggerResponse(data: unknown): data is TriggerResponse {
  return typeof data === "object" && data !== null && "id" in data && typeof data.id === "string";
}
