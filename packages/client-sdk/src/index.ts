/**
 * Typed client for the events server: `trigger()` through Eden treaty, and a Server-Sent
 * Events stream that reconnects by itself, resumes with `Last-Event-ID`, and yields events
 * typed by the service's contract (`@events/contract`). Runs on Bun, Deno, Node >= 20 and browsers.
 * @module
 */
export { createEventsClient, type EventsClient } from "./client.ts";
export {
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  DEFAULT_MAX_EVENT_BYTES,
  DEFAULT_RECONNECT_OPTIONS,
  resolveEventsClientOptions,
  type EventsClientOptions,
  type FetchFunction,
  type ReconnectOptions,
  type ResolvedEventsClientOptions,
  type ResolvedReconnectOptions,
  type Timers,
} from "./options.ts";
export type { EventStream, StreamEventsOption, StreamOptions } from "./stream.ts";
export type { TriggerFunction, TriggerOptions } from "./trigger.ts";
export type { PublishFunction, PublishInput, PublishOptions, PublishResponse, PublishTarget } from "./publish.ts";
export type { CloseReason, ReconnectReason, StreamState, StreamStatus } from "./status.ts";
export type {
  StreamConnectedEvent,
  StreamEvent,
  StreamEventFor,
  StreamEventType,
  StreamGapEvent,
  StreamMessageEvent,
  TriggerResponse,
  TypedStreamEvent,
  UntypedStreamEvent,
} from "./events.ts";
export { EventsClientError, serverErrorMessage, type EventsClientErrorCode, type EventsClientErrorDetails } from "./errors.ts";
export { MAX_RECONNECT_DELAY_MS } from "./backoff.ts";
export { MAX_REDIRECTS } from "./connection.ts";
