/**
 * Typed client for the events plugin of an Elysia app: `createEventsClient<App>()` takes the
 * event names, payloads and topics of the app's contract from its `App` type, publishes and
 * follows topics over a Server-Sent Events stream that reconnects by itself and resumes with
 * `Last-Event-ID`. `createSseClient()` is the same reconnecting machinery for any SSE endpoint
 * (also alone, without Elysia, TypeBox or Eden: `@events/client-sdk/sse`). Runs on Bun, Deno,
 * Node >= 20 and browsers.
 * @module
 */
export { createEventsClient, type EventsClient } from "./client.ts";
export { DEFAULT_PREFIX, resolveEventsClientOptions, type EventsClientOptions, type ResolvedEventsClientOptions } from "./options.ts";
export {
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  DEFAULT_MAX_EVENT_BYTES,
  DEFAULT_RECONNECT_OPTIONS,
  type ConnectionOptions,
  type FetchFunction,
  type ReconnectOptions,
  type ResolvedConnectionOptions,
  type ResolvedReconnectOptions,
  type Timers,
} from "./connection-options.ts";
export type { TokenFunction, TokenOption } from "./token.ts";
export { AUTH_EXPIRED_EVENT } from "./auth-expired.ts";
export { createSseClient, type SseClientEvent, type SseClientOptions, type SseStream } from "./sse-client.ts";
export type { EventStream, StreamOptions } from "./stream.ts";
export type { TriggerFunction, TriggerOptions } from "./trigger.ts";
export type { PublishFunction, PublishOptions, PublishResponse } from "./publish.ts";
export type {
  DefaultPrefix,
  EventDataOf,
  EventNameOf,
  PublishBodyOf,
  PublishInputOf,
  PublishTarget,
  StreamEventOf,
  UntypedPublishInput,
} from "./app-types.ts";
export type { CloseReason, ReconnectReason, StreamState, StreamStatus } from "./status.ts";
export type {
  ContractEvent,
  StreamConnectedEvent,
  StreamGapEvent,
  StreamMessageEvent,
  TriggerResponse,
  UnknownEventMode,
  UnknownStreamEvent,
  UntypedStreamEvent,
} from "./events.ts";
export { EventsClientError, serverErrorMessage, type EventsClientErrorCode, type EventsClientErrorDetails } from "./errors.ts";
export { MAX_RECONNECT_DELAY_MS } from "./backoff.ts";
export { MAX_REDIRECTS } from "./connection.ts";
