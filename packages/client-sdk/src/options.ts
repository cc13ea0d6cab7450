import { DEFAULT_TOPIC, describeValue } from "@events/sse-core";
import { MAX_RECONNECT_DELAY_MS } from "./backoff.ts";
import { EventsClientError } from "./errors.ts";
import type { StreamStatus } from "./status.ts";
import { checkTopicOption } from "./topics.ts";

/** The `fetch` the client calls: the global one by default, or any function with its shape. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** Timer functions, injectable so tests control time without sleeping. */
export interface Timers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Backoff between reconnection attempts. */
export interface ReconnectOptions {
  /**
   * The reconnection time until the server sends `retry:`, in milliseconds: the wait after
   * a healthy connection drops, and the base of the exponential backoff.
   * @default 1000
   */
  readonly initialDelayMs?: number;
  /**
   * The floor of the backoff, in milliseconds: after n consecutive failures the stream waits at
   * least `min(maxDelayMs, minDelayMs × factor^n)`, even when the server sent `retry: 0`; and a
   * reconnect at once (`retry: 0`) is never followed by another one at once.
   * @default 100
   */
  readonly minDelayMs?: number;
  /**
   * The longest wait between attempts, in milliseconds, at most 86400000 (24 h). A `Retry-After`
   * from the server may ask for more, up to 24 h.
   * @default 30000
   */
  readonly maxDelayMs?: number;
  /**
   * How much the backoff ceiling grows with each consecutive failure.
   * @default 2
   */
  readonly factor?: number;
  /**
   * Full jitter: wait a random time between 0 and the backoff ceiling after a failed attempt,
   * so clients of a restarted server do not all come back at once. `false` waits the ceiling.
   * @default true
   */
  readonly jitter?: boolean;
}

/** Options of {@link createEventsClient}. Every field is optional. */
export interface EventsClientOptions {
  /**
   * Sent as `Authorization: Bearer <token>` on every request (the server's trigger token).
   * @default undefined (no Authorization header)
   */
  readonly token?: string;
  /**
   * Extra headers sent on every request.
   * @default {}
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The `fetch` to call (a proxy-aware one, or a fake in tests).
   * @default globalThis.fetch
   */
  readonly fetch?: FetchFunction;
  /** Backoff between reconnection attempts; see {@link DEFAULT_RECONNECT_OPTIONS}. */
  readonly reconnect?: ReconnectOptions;
  /**
   * The topic of a stream event without a `topic:` field: the server's default topic (its
   * `--default-topic`), which `trigger()` and a stream without `topics` use.
   * @default "events"
   */
  readonly defaultTopic?: string;
  /**
   * Silence on an open stream longer than this, in milliseconds, counts as a dead connection
   * and reconnects. A little over twice the server's 15 s keepalive; at most 2147483647
   * (`setTimeout`'s limit). `false` disables it.
   * @default 35000
   */
  readonly heartbeatTimeoutMs?: number | false;
  /**
   * The most bytes a stream may receive without completing an event, a comment or a `retry:`
   * (one endless line, or data lines that never end in a blank line): past it the stream
   * fails with `EVENT_TOO_LARGE` instead of buffering without bound. Checked per received
   * chunk, so the real ceiling is this plus one chunk. `false` disables it.
   * @default 1048576 (1 MiB; the server's largest message encodes to under 100 KiB)
   */
  readonly maxEventBytes?: number | false;
  /**
   * Called on every state change of every stream of this client.
   * @default undefined
   */
  readonly onStatus?: (status: StreamStatus) => void;
  /**
   * Timer functions (tests inject fake ones).
   * @default globalThis.setTimeout / globalThis.clearTimeout
   */
  readonly timers?: Timers;
  /**
   * The clock, in milliseconds (used for the heartbeat and `Retry-After` dates).
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * The random source of the jitter, returning a number in [0, 1).
   * @default Math.random
   */
  readonly random?: () => number;
}

/** {@link ReconnectOptions} with every field set. */
export type ResolvedReconnectOptions = Readonly<Required<ReconnectOptions>>;

/** The defaults of {@link ReconnectOptions}. */
export const DEFAULT_RECONNECT_OPTIONS: ResolvedReconnectOptions = Object.freeze({
  initialDelayMs: 1000,
  minDelayMs: 100,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: true,
});

/** The default of {@link EventsClientOptions.heartbeatTimeoutMs}: a little over twice the server's 15 s keepalive. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 35_000;

/** The default of {@link EventsClientOptions.maxEventBytes}: 1 MiB. */
export const DEFAULT_MAX_EVENT_BYTES = 1_048_576;

/** {@link EventsClientOptions} merged with the defaults and validated. */
export interface ResolvedEventsClientOptions {
  /** The base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** Headers for every request: `headers` plus `Authorization` when a token is set. */
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch: FetchFunction;
  readonly reconnect: ResolvedReconnectOptions;
  readonly defaultTopic: string;
  readonly heartbeatTimeoutMs: number | false;
  readonly maxEventBytes: number | false;
  readonly onStatus: ((status: StreamStatus) => void) | undefined;
  readonly timers: Timers;
  readonly now: () => number;
  readonly random: () => number;
}

/** The longest delay `setTimeout` honours (2^31 - 1 ms); longer ones fire after 1 ms. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

const DEFAULT_TIMERS: Timers = {
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as number),
};

/**
 * Merges `options` with the defaults and validates them; throws {@link EventsClientError}
 * `INVALID_OPTION` naming the first bad field.
 */
export function resolveEventsClientOptions(baseUrl: string, options: EventsClientOptions = {}): ResolvedEventsClientOptions {
  const reconnect: ResolvedReconnectOptions = Object.freeze({ ...DEFAULT_RECONNECT_OPTIONS, ...options.reconnect });
  requireNumber("reconnect.initialDelayMs", reconnect.initialDelayMs, 0);
  requireNumber("reconnect.minDelayMs", reconnect.minDelayMs, 1);
  requireNumber("reconnect.maxDelayMs", reconnect.maxDelayMs, reconnect.initialDelayMs, MAX_RECONNECT_DELAY_MS);
  requireNumber("reconnect.factor", reconnect.factor, 1);
  if (typeof reconnect.jitter !== "boolean") invalid("reconnect.jitter", "must be a boolean", reconnect.jitter);
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  if (heartbeatTimeoutMs !== false) requireNumber("heartbeatTimeoutMs", heartbeatTimeoutMs, 1, MAX_TIMER_DELAY_MS);
  const maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  if (maxEventBytes !== false) requireNumber("maxEventBytes", maxEventBytes, 1);
  const defaultTopic = checkTopicOption("defaultTopic", options.defaultTopic ?? DEFAULT_TOPIC);

  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) {
    if (typeof options.token !== "string" || options.token === "" || /[\r\n]/.test(options.token)) {
      invalid("token", "must be a non-empty string without CR or LF", options.token);
    }
    headers["authorization"] = `Bearer ${options.token}`;
  }
  const fetchFunction = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
  if (typeof fetchFunction !== "function") invalid("fetch", "must be a function", fetchFunction);

  return Object.freeze({
    baseUrl: resolveBaseUrl(baseUrl),
    headers: Object.freeze(headers),
    fetch: fetchFunction,
    reconnect,
    defaultTopic,
    heartbeatTimeoutMs,
    maxEventBytes,
    onStatus: options.onStatus,
    timers: options.timers ?? DEFAULT_TIMERS,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  });
}

function resolveBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw new EventsClientError("INVALID_OPTION", `baseUrl must be an absolute http(s) URL (got ${describeValue(baseUrl)})`, { cause });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") invalid("baseUrl", "must use http: or https:", baseUrl);
  if (url.search !== "" || url.hash !== "") invalid("baseUrl", "must not have a query or fragment", baseUrl);
  return url.href.replace(/\/+$/, "");
}

function requireNumber(name: string, value: unknown, minimum: number, maximum = Number.MAX_VALUE): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < minimum || value > maximum) {
    const range = maximum === Number.MAX_VALUE ? `>= ${minimum}` : `from ${minimum} to ${maximum}`;
    invalid(name, `must be a finite number ${range}`, value);
  }
}

function invalid(name: string, rule: string, value: unknown): never {
  throw new EventsClientError("INVALID_OPTION", `${name} ${rule} (got ${describeValue(value)})`);
}
