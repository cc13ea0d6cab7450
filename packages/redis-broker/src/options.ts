import { DEFAULT_IDEMPOTENCY_OPTIONS, type IdempotencyOptions, invalidOption, positiveInteger, resolveHistoryTtl } from "@events/sse-core";

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
 * to the history (`<streamKey>:idempotency` and `<streamKey>:idempotency:at`).
 */
export interface RedisBrokerOptions extends IdempotencyOptions {
  /** The Redis to connect to (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS). @default "redis://127.0.0.1:6379" */
  readonly url?: string;
  /**
   * The prefix of every key of the history (`<streamKey>:t:<topic>`, `<streamKey>:live`, …;
   * the name is from when the history was one stream). Give each app sharing a Redis its own;
   * on a Redis Cluster, put a hash tag in it (`{myapp}:events`). @default "events:stream"
   */
  readonly streamKey?: string;
  /**
   * The number of events kept for replay **per topic**: `XADD … MAXLEN ~ historySize`. Redis
   * trims whole nodes of a stream (100 entries by default), so a topic may hold up to ~100
   * more. @default 1000 (events)
   */
  readonly historySize?: number;
  /**
   * The age bound of history: a topic's events older than this are trimmed (`MINID`) at its
   * next publish and never replayed, and a topic with no publish for this long expires
   * (`PEXPIRE`). `false`: no age bound. @default false
   */
  readonly historyTtlMs?: number | false;
  /**
   * The most topics whose history this Redis keeps (for this `streamKey`, all nodes together):
   * past it, each publish evicts the least recently published topics (up to 16 at a time). A
   * client resuming on an evicted topic gets a `gap`. @default 10000 (topics)
   */
  readonly maxRetainedTopics?: number;
  /**
   * The entries kept in the node-wide live stream every node's reader tails (`MAXLEN ~`):
   * how far a node's reader may fall behind (while it reconnects) before its subscriptions
   * are ended so their clients resume from history. @default 10000 (events)
   */
  readonly liveStreamSize?: number;
  /** How long one blocking `XREAD` waits before the reader asks again. @default 5000 (ms) */
  readonly blockMs?: number;
  /** The most entries one `XREAD` returns. @default 500 (entries) */
  readonly readCount?: number;
  /**
   * The most resumes one history read serves. Resumes of the same topics (the same
   * subscribed patterns) on a node share reads: one read per topic set is in flight at a
   * time, the resumes arriving meanwhile wait and are served together by the next one, read
   * from the oldest Last-Event-ID among them, each getting its own tail. This bounds the
   * replay work one read starts at once; 1 reads each resume on its own (one at a time per
   * topic set). @default 1000 (resumes)
   */
  readonly maxResumesPerRead?: number;
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
  readonly historyTtlMs: number | false;
  readonly maxRetainedTopics: number;
  readonly liveStreamSize: number;
  readonly blockMs: number;
  readonly readCount: number;
  readonly maxResumesPerRead: number;
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
  historyTtlMs: false,
  maxRetainedTopics: 10_000,
  liveStreamSize: 10_000,
  blockMs: 5000,
  readCount: 500,
  maxResumesPerRead: 1000,
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
    invalidOption("RedisBroker url", "must start with redis:// or rediss://", url, "e.g. redis://127.0.0.1:6379");
  }
  const streamKey = options.streamKey ?? defaults.streamKey;
  if (typeof streamKey !== "string" || streamKey === "") invalidOption("RedisBroker streamKey", "must be a non-empty string", streamKey, "e.g. myapp:events");
  const initialDelayMs = positive("reconnect.initialDelayMs", options.reconnect?.initialDelayMs, defaults.reconnect.initialDelayMs);
  const maxDelayMs = positive("reconnect.maxDelayMs", options.reconnect?.maxDelayMs, defaults.reconnect.maxDelayMs);
  if (maxDelayMs < initialDelayMs) {
    invalidOption("RedisBroker reconnect.maxDelayMs", `must be at least reconnect.initialDelayMs (${initialDelayMs})`, maxDelayMs, "raise it");
  }
  return Object.freeze({
    url,
    streamKey,
    historySize: positive("historySize", options.historySize, defaults.historySize),
    historyTtlMs: resolveHistoryTtl("RedisBroker", options.historyTtlMs),
    maxRetainedTopics: positive("maxRetainedTopics", options.maxRetainedTopics, defaults.maxRetainedTopics),
    liveStreamSize: positive("liveStreamSize", options.liveStreamSize, defaults.liveStreamSize),
    blockMs: positive("blockMs", options.blockMs, defaults.blockMs),
    readCount: positive("readCount", options.readCount, defaults.readCount),
    maxResumesPerRead: positive("maxResumesPerRead", options.maxResumesPerRead, defaults.maxResumesPerRead),
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

function ignore(): void {}
