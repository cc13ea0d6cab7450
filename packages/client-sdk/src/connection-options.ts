import { describeValue } from "@events/sse-core";
import { MAX_RECONNECT_DELAY_MS } from "./backoff.ts";
import { EventsClientError } from "./errors.ts";
import type { StreamStatus } from "./status.ts";
import { bearer, checkTokenOption, type TokenFunction, type TokenOption } from "./token.ts";

// The options of a reconnecting stream, shared by the typed client (`createEventsClient`) and
// the untyped one (`createSseClient`). Nothing here imports Eden, Elysia or TypeBox.

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

/** How a stream connects, reconnects and watches its connection: every field optional. */
export interface ConnectionOptions {
  /**
   * Sent as `Authorization: Bearer <token>` on every request: a fixed token (the server's
   * trigger token, a long-lived JWT), or a function (sync or async) called before every
   * connection attempt of a stream (the first and each reconnect) and before every
   * `trigger()`/`publish()`, so an expiring JWT is refreshed. Its value is checked each time:
   * not a non-empty string without CR or LF is `INVALID_TOKEN`; a throw or rejection is
   * `TOKEN_ERROR` (a stream reports it and retries with backoff). With a function, a 401 is
   * retried once with a fresh token.
   * @default undefined (no Authorization header)
   */
  readonly token?: TokenOption;
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
   * Silence on an open stream longer than this, in milliseconds, counts as a dead connection
   * and reconnects: set it a little over twice the server's keepalive interval. At most
   * 2147483647 (`setTimeout`'s limit). `false` disables it.
   * @default 35000 for `createEventsClient` (the events server sends a keepalive every 15 s); false for `createSseClient`
   */
  readonly heartbeatTimeoutMs?: number | false;
  /**
   * The most bytes a stream may receive without completing an event, a comment or a `retry:`
   * (one endless line, or data lines that never end in a blank line): past it the stream
   * fails with `EVENT_TOO_LARGE` instead of buffering without bound. Checked per received
   * chunk, so the real ceiling is this plus one chunk. `false` disables it.
   * @default 1048576 (1 MiB; the events server's largest message encodes to under 100 KiB)
   */
  readonly maxEventBytes?: number | false;
  /**
   * Called on every state change of every stream.
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

/** {@link ConnectionOptions} merged with the defaults and validated. */
export interface ResolvedConnectionOptions {
  /** Headers for every request (with `Authorization` for a fixed token). */
  readonly headers: Readonly<Record<string, string>>;
  /** The token function, called before every request; `undefined` for a fixed token or none. */
  readonly getToken: TokenFunction | undefined;
  readonly fetch: FetchFunction;
  readonly reconnect: ResolvedReconnectOptions;
  readonly heartbeatTimeoutMs: number | false;
  readonly maxEventBytes: number | false;
  readonly onStatus: ((status: StreamStatus) => void) | undefined;
  readonly timers: Timers;
  readonly now: () => number;
  readonly random: () => number;
}

/** The defaults of {@link ReconnectOptions}. */
export const DEFAULT_RECONNECT_OPTIONS: ResolvedReconnectOptions = Object.freeze({
  initialDelayMs: 1000,
  minDelayMs: 100,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: true,
});

/** The default of `heartbeatTimeoutMs` for the events server: a little over twice its 15 s keepalive. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 35_000;

/** The default of {@link ConnectionOptions.maxEventBytes}: 1 MiB. */
export const DEFAULT_MAX_EVENT_BYTES = 1_048_576;

/** The longest delay `setTimeout` honours (2^31 - 1 ms); longer ones fire after 1 ms. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

const DEFAULT_TIMERS: Timers = {
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as number),
};

/**
 * Merges `options` with the defaults (`heartbeatTimeoutMs` defaults to `defaultHeartbeatMs`) and
 * validates them; throws {@link EventsClientError} `INVALID_OPTION` naming the first bad field.
 */
export function resolveConnectionOptions(options: ConnectionOptions, defaultHeartbeatMs: number | false): ResolvedConnectionOptions {
  const reconnect: ResolvedReconnectOptions = Object.freeze({ ...DEFAULT_RECONNECT_OPTIONS, ...options.reconnect });
  requireNumber("reconnect.initialDelayMs", reconnect.initialDelayMs, 0);
  requireNumber("reconnect.minDelayMs", reconnect.minDelayMs, 1);
  requireNumber("reconnect.maxDelayMs", reconnect.maxDelayMs, reconnect.initialDelayMs, MAX_RECONNECT_DELAY_MS);
  requireNumber("reconnect.factor", reconnect.factor, 1);
  if (typeof reconnect.jitter !== "boolean") invalidOption("reconnect.jitter", "must be a boolean", reconnect.jitter);
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? defaultHeartbeatMs;
  if (heartbeatTimeoutMs !== false) requireNumber("heartbeatTimeoutMs", heartbeatTimeoutMs, 1, MAX_TIMER_DELAY_MS);
  const maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  if (maxEventBytes !== false) requireNumber("maxEventBytes", maxEventBytes, 1);
  const headers = options.headers ?? {};
  if (typeof headers !== "object" || headers === null) invalidOption("headers", "must be an object of header names to values", headers);
  const token = checkTokenOption(options.token);
  const fetchFunction = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
  if (typeof fetchFunction !== "function") invalidOption("fetch", "must be a function", fetchFunction);
  return Object.freeze({
    headers: Object.freeze(typeof token === "string" ? { ...headers, authorization: bearer(token) } : { ...headers }),
    getToken: typeof token === "function" ? token : undefined,
    fetch: fetchFunction,
    reconnect,
    heartbeatTimeoutMs,
    maxEventBytes,
    onStatus: options.onStatus,
    timers: options.timers ?? DEFAULT_TIMERS,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  });
}

/**
 * `url` as an absolute http(s) URL without a fragment, or `INVALID_OPTION` naming `name`.
 * A query is kept when `allowQuery` (a stream URL), refused otherwise (a base URL).
 */
export function checkHttpUrl(name: string, value: string, allowQuery: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new EventsClientError("INVALID_OPTION", `${name} must be an absolute http(s) URL (got ${describeValue(value)})`, { cause });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") invalidOption(name, "must use http: or https:", value);
  if (url.hash !== "" || (!allowQuery && url.search !== "")) invalidOption(name, allowQuery ? "must not have a fragment" : "must not have a query or fragment", value);
  return url;
}

function requireNumber(name: string, value: unknown, minimum: number, maximum = Number.MAX_VALUE): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < minimum || value > maximum) {
    const range = maximum === Number.MAX_VALUE ? `>= ${minimum}` : `from ${minimum} to ${maximum}`;
    invalidOption(name, `must be a finite number ${range}`, value);
  }
}

/** Throws `INVALID_OPTION`: `<name> <rule> (got <value>)`. */
export function invalidOption(name: string, rule: string, value: unknown): never {
  throw new EventsClientError("INVALID_OPTION", `${name} ${rule} (got ${describeValue(value)})`);
}
