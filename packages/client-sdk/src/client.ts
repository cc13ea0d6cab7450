import { resolveEventsClientOptions, type EventsClientOptions } from "./options.ts";
import { ReconnectingStream } from "./reconnecting-stream.ts";
import type { EventStream, StreamOptions } from "./stream.ts";
import { createTrigger, type TriggerFunction } from "./trigger.ts";

/** A client of one events server. */
export interface EventsClient {
  /**
   * Broadcasts `message` to every connected client (`POST /events/trigger`). Resolves to
   * `{ status, id, clients }`; rejects with an `EventsClientError`: `HTTP_ERROR` (with
   * `status` and the server's JSON error as `body`), `NETWORK_ERROR`, `ABORTED` or `INVALID_RESPONSE`.
   */
  readonly trigger: TriggerFunction;
  /**
   * Opens `GET /events/stream`: an async iterable of typed events that reconnects by
   * itself and resumes with `Last-Event-ID`. Each call opens a new, independent stream.
   */
  stream(options?: StreamOptions): EventStream;
}

/**
 * Creates a client of the events server at `baseUrl`. Throws `EventsClientError`
 * `INVALID_OPTION` for a bad URL or option.
 *
 * @example
 * ```ts
 * const client = createEventsClient("http://localhost:8080", { token: "secret" });
 * await client.trigger("hello");
 * for await (const event of client.stream()) {
 *   if (event.type === "message") console.log(event.id, event.data.message);
 * }
 * ```
 */
export function createEventsClient(baseUrl: string, options?: EventsClientOptions): EventsClient {
  const resolved = resolveEventsClientOptions(baseUrl, options);
  const streamUrl = `${resolved.baseUrl}/events/stream`;
  return {
    trigger: createTrigger(resolved),
    stream: (streamOptions?: StreamOptions): EventStream => new ReconnectingStream(streamUrl, resolved, streamOptions),
  };
}
