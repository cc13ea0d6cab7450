import { describeValue } from "@events/sse-core";
import { treaty } from "@elysiajs/eden/treaty2";
import type { App } from "@events/server";
import { EventsClientError, serverErrorMessage } from "./errors.ts";
import type { TriggerResponse } from "./events.ts";
import type { ResolvedEventsClientOptions } from "./options.ts";

/** Options of one `trigger()` call. */
export interface TriggerOptions {
  /**
   * Aborts the request; the promise rejects with code `ABORTED`.
   * @default undefined
   */
  readonly signal?: AbortSignal;
}

/** Sends one message to every connected client; see `EventsClient.trigger`. */
export type TriggerFunction = (message: string, options?: TriggerOptions) => Promise<TriggerResponse>;

/**
 * Creates `trigger()` on Eden treaty over the server's exported `App` type, so the request
 * body and the answer are checked against the server's routes at compile time.
 */
export function createTrigger(client: ResolvedEventsClientOptions): TriggerFunction {
  const api = treaty<App>(client.baseUrl, {
    fetcher: client.fetch as typeof fetch,
    headers: client.headers,
    // Eden would turn date-like strings (a message, an id) into Date objects.
    parseDate: false,
    keepDomain: true,
  });

  return async (message, options = {}) => {
    if (typeof message !== "string") {
      throw new EventsClientError("INVALID_OPTION", `message must be a string (got ${describeValue(message)})`);
    }
    const { signal } = options;
    const result = await api.events.trigger.post({ message }, signal === undefined ? {} : { fetch: { signal } });
    if (result.error === null) {
      const data: unknown = result.data;
      if (typeof data !== "object" || data === null || !("id" in data) || typeof data.id !== "string") {
        throw new EventsClientError("INVALID_RESPONSE", `the trigger answer must be JSON with an id (got ${describeValue(JSON.stringify(data))})`, {
          status: result.status,
          body: data,
        });
      }
      return result.data;
    }
    if (result.response === undefined) {
      // Eden reports a failed fetch as a made-up 503 without a response.
      const cause: unknown = result.error.value;
      if (signal?.aborted) throw new EventsClientError("ABORTED", "the trigger request was aborted", { cause: signal.reason });
      throw new EventsClientError("NETWORK_ERROR", `POST ${client.baseUrl}/events/trigger could not reach the server (${String(cause)})`, { cause });
    }
    const body: unknown = result.error.value;
    const reason = serverErrorMessage(body) ?? (typeof body === "string" && body !== "" ? describeValue(body) : undefined);
    throw new EventsClientError(
      "HTTP_ERROR",
      `POST ${client.baseUrl}/events/trigger failed with HTTP ${result.status}${reason === undefined ? "" : ` (${reason})`}`,
      { status: result.status, body },
    );
  };
}
