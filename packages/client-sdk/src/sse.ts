/**
 * A reconnecting client for any Server-Sent Events endpoint, alone: this entry loads only
 * `@events/sse-core` (no Elysia, TypeBox or Eden), so it works where none is installed.
 * @module
 */
export { createSseClient, type SseClientEvent, type SseClientOptions, type SseStream } from "./sse-client.ts";
export {
  DEFAULT_MAX_EVENT_BYTES,
  DEFAULT_RECONNECT_OPTIONS,
  type ConnectionOptions,
  type FetchFunction,
  type ReconnectOptions,
  type Timers,
} from "./connection-options.ts";
export type { TokenFunction, TokenOption } from "./token.ts";
export { AUTH_EXPIRED_EVENT } from "./auth-expired.ts";
export type { EventStream } from "./stream.ts";
export type { CloseReason, ReconnectReason, StreamState, StreamStatus } from "./status.ts";
export { EventsClientError, serverErrorMessage, type EventsClientErrorCode, type EventsClientErrorDetails } from "./errors.ts";
export { MAX_RECONNECT_DELAY_MS } from "./backoff.ts";
export { MAX_REDIRECTS } from "./connection.ts";
