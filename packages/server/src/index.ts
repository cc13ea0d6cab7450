/**
 * The events server: `eventsPlugin` (the toolkit as an Elysia plugin for your own app) and
 * `createApp` (the standalone server: the plugin plus health, metrics, OpenAPI and the page),
 * serving the SSE stream (one or many topics per
 * connection), the trigger and publish endpoints and the web client. Re-exports the contract (`@events/contract`: schemas and payload types) it serves.
 * Runtime entries: `src/runtime/bun.ts` (`bun run server`), `src/runtime/deno.ts` (`deno task server`).
 * @module
 */
export {
  AuthExpiredEventData,
  ConnectedEventData,
  ErrorResponse,
  GapEventData,
  MAX_MESSAGE_LENGTH,
  MessageEventData,
  PublishRequest,
  PublishResponse,
  type StreamEventPayloads,
  type StreamEventTopic,
  type StreamEventType,
  TriggerRequest,
  TriggerResponse,
} from "@events/contract";
export { type App, type AppOptions, createApp } from "./app.ts";
export { type EventsPlugin, eventsPlugin } from "./plugins/events-plugin.ts";
export { type BunDirectController, bunDirectBody, DirectBody } from "./runtime/bun-direct-body.ts";
export { DEFAULT_EVENTS_PLUGIN_OPTIONS, type EventsPluginOptions, type SharedServerOptions } from "./plugins/events-plugin-options.ts";
export {
  EventsPublishError,
  type EventsPublishErrorCode,
  type EventsPublisher,
  type PublishBatchItem,
  type PublishEventOptions,
} from "./modules/events/publisher.ts";
export {
  createLogger,
  DEFAULT_LOGGER_OPTIONS,
  type LogFields,
  type LogFormat,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  type LogLevelSetting,
} from "./logging/logger.ts";
export { type FetchHandler, type RequestLogOptions, withRequestLog } from "./logging/request-log.ts";
export type { ServerMetrics } from "./modules/metrics/index.ts";
export { HTTP_STATUS_BY_CODE, HttpError, type HttpErrorCode } from "./errors.ts";
export type { AuthorizeHook, Grant, GrantSource, Permissions } from "./auth/types.ts";
export { ServerOptionsError, type ServerOptionsErrorCode } from "./server-options-error.ts";
export { type BrokerKind, DEFAULT_SERVER_OPTIONS, resolveServerOptions, type ServerOptions } from "./options.ts";
export { type LoadedServerOptions, loadServerOptions } from "./load-server-options.ts";
