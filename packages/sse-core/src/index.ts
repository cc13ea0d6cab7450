/**
 * Spec-exact Server-Sent Events on Web standards: encoder, streaming parser, broker with
 * history and the per-client event stream. Runs on Bun, Deno, Node >= 20 and browsers.
 * @module
 */
export type { EventId, PublishInput, SseEvent, SseMessage, StoredEvent } from "./types.ts";
export { SseError, describeValue, type SseErrorCode } from "./errors.ts";
export {
  normalizeLastEventId,
  type Broker,
  type BrokerHealth,
  type GapNotice,
  type GapReason,
  type SubscribeOptions,
  type SubscriberHandlers,
  type Subscription,
  type SubscriptionOpening,
} from "./broker.ts";
export { assertValidEventName, encodeComment, encodeEvent, encodeEventBytes, encodeRetry } from "./encode.ts";
export { createStoredEvent } from "./stored-event.ts";
export { resolvePublishBatch, type ResolvedPublish } from "./publish-batch.ts";
export { invalidOption, positiveInteger, resolveHistoryTtl } from "./options.ts";
export { DEFAULT_IDEMPOTENCY_OPTIONS, type IdempotencyOptions } from "./idempotency-keys.ts";
export { compareEventIds, formatEventId, parseEventId, type EventIdParts } from "./event-id.ts";
export { DEFAULT_EVENT_HISTORY_OPTIONS, EventHistory, type EventHistoryOptions } from "./history.ts";
export { MemoryBroker } from "./memory-broker.ts";
export { DEFAULT_MEMORY_BROKER_OPTIONS, type MemoryBrokerOptions } from "./memory-broker-options.ts";
export {
  DEFAULT_KEEP_ALIVE_HUB_OPTIONS,
  createKeepAliveHub,
  type KeepAliveHub,
  type KeepAliveHubOptions,
  type KeepAliveTarget,
  type KeepAliveWrite,
} from "./keep-alive.ts";
export {
  createDeadlineScheduler,
  sharedDeadlineScheduler,
  type DeadlineScheduler,
  type DeadlineSchedulerOptions,
} from "./deadline-scheduler.ts";
export { createSharedTicker, type SharedTicker, type SharedTickerOptions } from "./shared-ticker.ts";
export {
  createFlushScheduler,
  sharedFlushScheduler,
  type FlushScheduler,
  type FlushSchedulerOptions,
  type Flushable,
} from "./flush-scheduler.ts";
export { type ByteSink, type ByteSource, type StreamBody, webStreamBody } from "./stream-body.ts";
export { REPLAY_CHUNK_BYTES, ReplayChunks, type ReplayChunk, sharedReplayChunks } from "./replay-chunks.ts";
export {
  DEFAULT_EVENT_STREAM_OPTIONS,
  createEventStream,
  createEventStreamCounters,
  type EventStreamCloseReason,
  type EventStreamCounters,
  type EventStreamOptions,
  type EventStreamSummary,
  type OpeningEventContext,
} from "./event-stream.ts";
export { createParser, type ParserCallbacks, type SseParser } from "./parse.ts";
export { SseParserStream, type SseParserStreamOptions } from "./parse-stream.ts";
export {
  DEFAULT_TOPIC,
  MAX_PUBLISH_TOPICS,
  MAX_TOPIC_LENGTH,
  assertValidTopic,
  formatTopicPattern,
  matchesTopic,
  parseTopicPattern,
  patternCovers,
  resolvePublishTopics,
  resolveSubscribeTopics,
  subscriptionPatterns,
  type SubscribedTopic,
  type TopicPattern,
} from "./topic.ts";
export { TopicIndex } from "./topic-index.ts";
export { RemoteFanOut, type RemoteFanOutOptions } from "./remote-fan-out.ts";
export { RemoteSubscriber, type BufferedDelivery, type LiveStart, type TopicDelivery } from "./remote-subscriber.ts";
