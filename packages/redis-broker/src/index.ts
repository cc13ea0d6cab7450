/**
 * A Redis Streams broker for `@events/sse-core`: several server nodes share one ordered,
 * trimmed event history, so a client can resume on any node with nothing lost.
 * @module
 */
export { RedisBroker } from "./redis-broker.ts";
export {
  DEFAULT_REDIS_BROKER_OPTIONS,
  type RedisBrokerOptions,
  type RedisReconnectOptions,
  type ResolvedRedisBrokerOptions,
} from "./options.ts";
export { ORIGIN_STREAM_ID } from "./stream-id.ts";
