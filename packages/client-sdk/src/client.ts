import type { DefaultPrefix, StreamEventOf } from "./app-types.ts";
import { describeValue } from "@events/sse-core";
import { EventsClientError } from "./errors.ts";
import { createEventReader } from "./event-reader.ts";
import type { UnknownEventMode } from "./events.ts";
import { resolveEventsClientOptions, type EventsClientOptions, type ResolvedEventsClientOptions } from "./options.ts";
import { createPublish, type PublishFunction } from "./publish.ts";
import { ReconnectingStream } from "./reconnecting-stream.ts";
import type { EventStream, StreamOptions } from "./stream.ts";
import { topicStreamUrl } from "./topics.ts";
import { createTrigger, type TriggerFunction } from "./trigger.ts";

/** A client of the events plugin of app `App`, mounted at `Prefix`. */
export interface EventsClient<App = unknown, Prefix extends string = DefaultPrefix> {
  /**
   * Broadcasts `message` to every client of a topic (`POST {prefix}/trigger`; `options.topic`,
   * default the server's default topic). Resolves to `{ status, id, clients }`; rejects with an
   * `EventsClientError`: `HTTP_ERROR` (with `status` and the server's JSON error as `body`),
   * `NETWORK_ERROR`, `ABORTED`, `INVALID_RESPONSE`, or `INVALID_OPTION` before sending.
   */
  readonly trigger: TriggerFunction;
  /**
   * Publishes one event, `{ topic | topics, event, data }`, to one or more topics
   * (`POST {prefix}/publish`), `data` typed by `event` from the `App`'s contract. Resolves to
   * `{ id, topics, clients }`; rejects like `trigger`. Given an array, publishes them as one
   * batch (all stored or none, in order) and resolves to one answer per event.
   */
  readonly publish: PublishFunction<App, Prefix>;
  /**
   * Opens `GET {prefix}/stream` (`?topic=` for each of `options.topics`): an async iterable
   * of the contract's events (a discriminated union on `type`, plus `connected` and `gap`),
   * each with its `topic`, that reconnects by itself and resumes every topic with the
   * connection's `Last-Event-ID`. Each call opens a new, independent stream.
   * Throws `EventsClientError` `INVALID_OPTION` for a bad option.
   */
  stream<const Mode extends UnknownEventMode = "yield">(options?: StreamOptions<Mode>): EventStream<StreamEventOf<App, Prefix, Mode>>;
}

/**
 * Creates a client of the events plugin at `baseUrl` + `prefix`, typed by the server app's
 * `App` type (`import type { App } from "./server"`): the contract's event names, payloads
 * and topics come from its `POST {prefix}/publish` route. Without `App`, events and payloads
 * are untyped. Throws `EventsClientError` `INVALID_OPTION` for a bad URL or option.
 *
 * @example
 * ```ts
 * import type { App } from "../server/app.ts";
 * const client = createEventsClient<App>("http://localhost:3000", { token: "secret" });
 * await client.publish({ topic: "orders/42", event: "order.updated", data: { id: "42", status: "paid" } });
 * for await (const event of client.stream({ topics: ["orders/42"] })) {
 *   if (event.unknown) continue;
 *   if (event.type === "order.updated") console.log(event.topic, event.data.status);
 * }
 * ```
 */
export function createEventsClient<App = unknown, const Prefix extends string = DefaultPrefix>(
  baseUrl: string,
  options?: EventsClientOptions<App, Prefix>,
): EventsClient<App, Prefix> {
  const resolved = resolveEventsClientOptions(baseUrl, options);
  return {
    trigger: createTrigger(resolved),
    publish: createPublish(resolved) as PublishFunction<App, Prefix>,
    // The cast is what the reader guarantees at run time: JSON data under the event's type, and
    // `unknown: true` on a type outside `knownEvents`; the payload types are the contract's word.
    stream: <const Mode extends UnknownEventMode = "yield">(streamOptions: StreamOptions<Mode> = {}): EventStream<StreamEventOf<App, Prefix, Mode>> =>
      openStream(resolved, streamOptions) as unknown as EventStream<StreamEventOf<App, Prefix, Mode>>,
  };
}

function openStream(client: ResolvedEventsClientOptions, options: StreamOptions): ReconnectingStream<{ readonly id: string }> {
  const { onUnknownEvent = "yield", events, lastEventId, signal, onStatus } = options;
  if (onUnknownEvent !== "yield" && onUnknownEvent !== "skip") {
    throw new EventsClientError("INVALID_OPTION", `onUnknownEvent must be "yield" or "skip" (got ${describeValue(onUnknownEvent)})`);
  }
  if (events !== undefined && events !== "all") {
    throw new EventsClientError("INVALID_OPTION", `events only takes "all" now: every event type is delivered, typed by the App (got ${describeValue(events)})`);
  }
  const url = topicStreamUrl(`${client.baseUrl}${client.prefix}/stream`, options.topics);
  const read = createEventReader({ defaultTopic: client.defaultTopic, knownEvents: client.knownEvents, unknownEvents: onUnknownEvent });
  return new ReconnectingStream(url, client, { lastEventId, signal, onStatus }, read);
}
