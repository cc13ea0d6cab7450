import { DEFAULT_IDEMPOTENCY_OPTIONS, describeValue, type IdempotencyOptions, positiveInteger, SseError } from "@events/sse-core";

/** How the broker reconnects to Redis after losing it: exponential backoff with jitter. */
export interface RedisReconnectOptions {
  /** The delay before the first reconnect attempt. @default 100 (ms) */
  readonly initialDelayMs?: number;
  /** The longest delay between two attempts. @default 2000 (ms) */
  readonly maxDelayMs?: number;
}

/**
 * Options of {@link RedisBroker}. `idempotencyWindowMs` (default 600000 ms) and
 * `maxIdempotencyKeys` (default 100000) bound the idempotency keys remembered in Redis, next
 * to the stream (`<streamKey>:idempotency` and `<streamKey>:idempotency:at`).
 */
export interface RedisBrokerOptions extends IdempotencyOptions {
  /** The Redis to connect to (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS). @default "redis://127.0.0.1:6379" */
  readonly url?: string;
  /** The stream key holding the history; give each app sharing a Redis its own. @default "events:stream" */
  readonly streamKey?: string;
  /**
   * The number of events kept for replay: `XADD … MAXLEN ~ historySize`. Redis trims whole
   * nodes of the stream (100 entries by default), so it may hold up to ~100 more. @default 1000 (events)
   */
  readonly historySize?: number;
  /** How long one blocking `XREAD` waits before the reader asks again. @default 5000 (ms) */
  readonly blockMs?: number;
  /** The most entries one `XREAD` returns. @default 500 (entries) */
  readonly readCount?: number;
  /**
   * How long a command (publish, replay) may take, and how long a publish waits for a first
   * connection. A publish that gets no connection fails with `BROKER_UNAVAILABLE`; one sent
   * but not answered in time fails with `PUBLISH_UNCONFIRMED` (Redis may still store it).
   * @default 2000 (ms)
   */
  readonly commandTimeoutMs?: number;
  /** Reconnect backoff. @default { initialDelayMs: 100, maxDelayMs: 2000 } */
  readonly reconnect?: RedisReconnectOptions;
  /**
   * Called with what goes wrong in the background (the reader losing Redis, a subscriber's
   * handler throwing, an entry that cannot be encoded). @default ignore the error
   */
  readonly onError?: (error: unknown) => void;
}

/** The complete, validated options a {@link RedisBroker} runs with. */
export interface ResolvedRedisBrokerOptions {
  readonly url: string;
  readonly streamKey: string;
  readonly historySize: number;
  readonly blockMs: number;
  readonly readCount: number;
  readonly commandTimeoutMs: number;
  readonly idempotencyWindowMs: number;
  readonly maxIdempotencyKeys: number;
  readonly reconnect: Required<RedisReconnectOptions>;
  readonly onError: (error: unknown) => void;
}

/** Defaults of {@link RedisBrokerOptions}. */
export const DEFAULT_REDIS_BROKER_OPTIONS: Readonly<Omit<ResolvedRedisBrokerOptions, "onError">> = Object.freeze({
  url: "redis://127.0.0.1:6379",
  streamKey: "events:stream",
  historySize: 1000,
  blockMs: 5000,
  readCount: 500,
  commandTimeoutMs: 2000,
  ...DEFAULT_IDEMPOTENCY_OPTIONS,
  reconnect: Object.freeze({ initialDelayMs: 100, maxDelayMs: 2000 }),
});

/**
 * Merges `options` over the defaults and validates them.
 * @throws {SseError} `INVALID_OPTION` naming the option, the rule and the value.
 */
export function resolveRedisBrokerOptions(options: RedisBrokerOptions = {}): ResolvedRedisBrokerOptions {
  const defaults = DEFAULT_REDIS_BROKER_OPTIONS;
  const url = options.url ?? defaults.url;
  if (!/^rediss?:\/\/./.test(url)) {
    invalid("url", "must start with redis:// or rediss://", url, "e.g. redis://127.0.0.1:6379");
  }
  const streamKey = options.streamKey ?? defaults.streamKey;
  if (typeof streamKey !== "string" || streamKey === "") invalid("streamKey", "must be a non-empty string", streamKey, "e.g. myapp:events");
  const initialDelayMs = positive("reconnect.initialDelayMs", options.reconnect?.initialDelayMs, defaults.reconnect.initialDelayMs);
  const maxDelayMs = positive("reconnect.maxDelayMs", options.reconnect?.maxDelayMs, defaults.reconnect.maxDelayMs);
  if (maxDelayMs < initialDelayMs) {
    invalid("reconnect.maxDelayMs", `must be at least reconnect.initialDelayMs (${initialDelayMs})`, maxDelayMs, "raise it");
  }
  return Object.freeze({
    url,
    streamKey,
    historySize: positive("historySize", options.historySize, defaults.historySize),
    blockMs: positive("blockMs", options.blockMs, defaults.blockMs),
    readCount: positive("readCount", options.readCount, defaults.readCount),
    commandTimeoutMs: positive("commandTimeoutMs", options.commandTimeoutMs, defaults.commandTimeoutMs),
    idempotencyWindowMs: positive("idempotencyWindowMs", options.idempotencyWindowMs, defaults.idempotencyWindowMs),
    maxIdempotencyKeys: positive("maxIdempotencyKeys", options.maxIdempotencyKeys, defaults.maxIdempotencyKeys),
    reconnect: Object.freeze({ initialDelayMs, maxDelayMs }),
    onError: options.onError ?? ignore,
  });
}

function positive(name: string, value: number | undefined, fallback: number): number {
  return positiveInteger(`RedisBroker ${name}`, value, fallback);
}

function invalid(name: string, rule: string, value: unknown, fix: string): never {
  throw new SseError("INVALID_OPTION", `RedisBroker ${name} ${rule} (got ${describeValue(value)}); ${fix}`);
}

function ignore(): void {}
