/**
 * Spec-exact Server-Sent Events on Web standards: encoder, streaming parser, broker with
 * history and the per-client event stream. Runs on Bun, Deno, Node >= 20 and browsers.
 * @module
 */
export type { EventId, PublishInput, SseEvent, SseMessage, StoredEvent } from "./types.ts";
export { SseError, type SseErrorCode } from "./errors.ts";
export type { Broker, BrokerHealth, GapNotice, GapReason, SubscribeOptions, SubscriberHandlers, Subscription } from "./broker.ts";
