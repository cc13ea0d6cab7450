import { resolveEventsClientOptions, type EventsClientOptions } from "./options.ts";
import type { StreamEventFor } from "./events.ts";
import { ReconnectingStream } from "./reconnecting-stream.ts";
import type { EventStream, StreamEventsOption, StreamOptions } from "./stream.ts";
import { createPublish, type PublishFunction } from "./publish.ts";
import { createTrigger, type TriggerFunction } from "./trigger.ts";

/** A client of one events server. */
export interface EventsClient {
  /**
   * Broadcasts `message` to every client of a topic (`POST /events/trigger`; `options.topic`,
   * default the server's default topic). Resolves to `{ status, id, clients }`; rejects with an
   * `EventsClientError`: `HTTP_ERROR` (with `status` and the server's JSON error as `body`),
   * `NETWORK_ERROR`, `ABORTED`, `INVALID_RESPONSE`, or `INVALID_OPTION` before sending.
   */
  readonly trigger: TriggerFunction;
  /**
   * Publishes one event, `{ topic | topics, event?, data }`, to one or more topics
   * (`POST /events/publish`). Resolves to `{ id, topics, clients }`; rejects like `trigger`.
   */
  readonly publish: PublishFunction;
  /**
   * Opens `GET /events/stream` (`?topic=` for each of `options.topics`): an async iterable
   * of typed events, each with its `topic`, that reconnects by itself and resumes every topic
   * with the connection's `Last-Event-ID`. Each call opens a new, independent stream.
   * Throws `EventsClientError` `INVALID_OPTION` for a bad option.
   */
  stream<const E extends StreamEventsOption = readonly []>(options?: StreamOptions<E>): EventStream<StreamEventFor<E>>;
}

/**
 * Creates a client of the events server at `baseUrl`. Throws `EventsClientError`
 * `INVALID_OPTION` for a bad URL or option.
 *
 * @example
 * ```ts
 * const client = createEventsClient("http://localhost:8080", { token: "secret" });
 * await client.trigger("hello");
 * await client.publish({ topic: "orders/42", event: "order.updated", data: { total: 12 } });
 * for await (const event of client.stream({ topics: ["orders/42", "users/7/*"] })) {
 *   if (event.type === "message") console.log(event.topic, event.id, event.data);
 * }
 * ```
 */
export function createEventsClient(baseUrl: string, options?: EventsClientOptions): EventsClient {
  const resolved = resolveEventsClientOptions(baseUrl, options);
  const streamUrl = `${resolved.baseUrl}/events/stream`;
  return {
    trigger: createTrigger(resolved),
    publish: createPublish(resolved),
    // The cast is what `ReconnectingStream` guarantees at run time: it delivers the contract's
    // event types and exactly the others `events` names.
    stream: <const E extends StreamEventsOption = readonly []>(streamOptions?: StreamOptions<E>): EventStream<StreamEventFor<E>> =>
      new ReconnectingStream(streamUrl, resolved, streamOptions) as EventStream<StreamEventFor<E>>,
  };
}
