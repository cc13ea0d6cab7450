import type { SseMessage } from "@events/sse-core";
import { checkHttpUrl, resolveConnectionOptions, type ConnectionOptions } from "./connection-options.ts";
import { ReconnectingStream } from "./reconnecting-stream.ts";
import type { EventStream } from "./stream.ts";

/** One event of any SSE endpoint, as received: nothing parsed beyond the SSE fields. */
export interface SseClientEvent {
  /** The `event:` field, `"message"` when absent. */
  readonly type: string;
  /** The `data:` lines joined with LF, as text. */
  readonly data: string;
  /** The last event id when the event was dispatched (`""` when the server never sent one). */
  readonly id: string;
  /** The `topic:` field (the events server's topics), when the event has one. */
  readonly topic?: string;
}

/** Options of {@link createSseClient}: the connection options plus the stream's own. Every field optional. */
export interface SseClientOptions extends ConnectionOptions {
  /**
   * Resume after this event id (sent as `Last-Event-ID`, UTF-8 encoded).
   * @default undefined (no Last-Event-ID on the first request)
   */
  readonly lastEventId?: string;
  /**
   * Aborting it closes the stream at any point: while connecting, reading, or waiting to reconnect.
   * @default undefined
   */
  readonly signal?: AbortSignal;
}

/** A reconnecting stream of raw events; see {@link createSseClient}. */
export type SseStream = EventStream<SseClientEvent>;

/**
 * Opens a reconnecting stream of ANY Server-Sent Events endpoint (`GET url`): the events as
 * text, with `EventSource`'s rules (`Last-Event-ID`, `retry:`, 204 stops) plus full-jitter
 * backoff with a floor, `Retry-After`, redirects followed with a limit, a silence watchdog
 * (`heartbeatTimeoutMs`, off by default here), a bound on unfinished events, custom headers
 * and `fetch`, and an `AbortSignal`. Loads no Elysia, TypeBox or Eden code. Throws
 * `EventsClientError` `INVALID_OPTION` for a bad URL or option.
 *
 * @example
 * ```ts
 * const stream = createSseClient("https://example.com/feed", { headers: { authorization: `Bearer ${token}` } });
 * for await (const event of stream) console.log(event.type, event.id, event.data);
 * ```
 */
export function createSseClient(url: string, options: SseClientOptions = {}): SseStream {
  const href = checkHttpUrl("url", url, true).href;
  const connection = resolveConnectionOptions(options, false);
  const { lastEventId, signal } = options;
  return new ReconnectingStream(href, connection, { lastEventId, signal }, rawEvent);
}

/** A parsed message as a raw event: the text as received, the topic only when there was one. */
function rawEvent(message: SseMessage): SseClientEvent {
  const { type, data, lastEventId: id, topic } = message;
  return topic === undefined ? { type, data, id } : { type, data, id, topic };
}

