import { createParser, type SseMessage, type SseParser, describeValue } from "@events/sse-core";
import { AUTH_EXPIRED_EVENT, readAuthExpired, type AuthExpiry } from "./auth-expired.ts";
import {
  lastEventIdHeader,
  openConnection,
  readChunks,
  retryableFailure,
  EVENT_STREAM_TYPE,
  type OpenResult,
  type RetryableFailure,
} from "./connection.ts";
import type { ResolvedConnectionOptions } from "./connection-options.ts";
import { EventsClientError } from "./errors.ts";
import { ReconnectSchedule, reconnectingStatus, type AttemptEnd } from "./reconnect-schedule.ts";
import type { CloseReason, StreamStatus } from "./status.ts";
import type { EventStream } from "./stream.ts";
import { withFreshToken } from "./token.ts";
import { createWatchdog, type Watchdog } from "./watchdog.ts";

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** What one stream (typed or not) is opened with, besides its connection options. */
export interface ReconnectingStreamOptions {
  /** Resume after this event id (sent as `Last-Event-ID`). */
  readonly lastEventId?: string | undefined;
  /** Aborting it closes the stream. */
  readonly signal?: AbortSignal | undefined;
  /** Called on every state change of this stream, after the connection options' own `onStatus`. */
  readonly onStatus?: ((status: StreamStatus) => void) | undefined;
}

/**
 * Turns a parsed message into what the stream hands out: an event, `undefined` to skip it, or
 * the `EventsClientError` that ends the stream (data a typed event cannot have).
 */
export type MessageReader<T> = (message: SseMessage) => T | EventsClientError | undefined;

/**
 * The stream `client.stream()` returns: attempts one connection after another (see
 * `connection.ts`), waits the backoff between them, resumes with `Last-Event-ID`, and hands
 * the events to one consumer. A state machine: `connecting` → `open` → (`reconnecting` →
 * `connecting` → `open`)* → `closed`, reported through `onStatus`.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface
 */
export class ReconnectingStream<T extends { readonly id: string }> implements EventStream<T>, AsyncIterator<T, undefined> {
  readonly #url: string;
  readonly #client: ResolvedConnectionOptions;
  readonly #options: ReconnectingStreamOptions;
  readonly #read: MessageReader<T>;
  readonly #parser: SseParser;
  readonly #watchdog: Watchdog | undefined;
  /** The loop of attempts; `next()` hands out its steps. */
  readonly #run: AsyncGenerator<T, undefined, undefined>;
  /** Ends the pending `next()` calls with `done` (a stop from outside must not wait for `fetch`). */
  readonly #pending = new Set<() => void>();
  #isHalted = false;
  #stopReason: CloseReason | undefined;
  #closedReported = false;
  #lastEventId: string;
  /** Whether `fetch` follows redirects itself: a browser answers `redirect: "manual"` with an opaque redirect. */
  #redirect: "manual" | "follow" = "manual";
  #serverRetryMs: number | undefined;
  /** Aborts the current attempt. */
  #connection: AbortController | undefined;
  #timedOut = false;
  /** Whether the consumer holds an event (a slow consumer is not a silent server). */
  #yielding = false;
  #wakeUp: (() => void) | undefined;
  /** Events parsed from the current chunk, not yet handed to the consumer. */
  readonly #queue: T[] = [];
  #fatal: EventsClientError | undefined;
  /** Bytes received since the parser last completed something: what it may be holding. */
  #unfinishedBytes = 0;
  /** Whether the current attempt received an event: a healthy connection. */
  #receivedEvent = false;
  /** The current attempt's `auth-expired` event, once it came. */
  #authExpiry: AuthExpiry | undefined;
  /** Whether a 401 was already retried with a fresh token since the stream last opened. */
  #retriedUnauthorized = false;

  /**
   * Opens nothing yet: the first `next()` connects to `url`. Throws `EventsClientError`
   * `INVALID_OPTION` for a `lastEventId` with CR, LF or NUL.
   */
  constructor(url: string, client: ResolvedConnectionOptions, options: ReconnectingStreamOptions, read: MessageReader<T>) {
    const initialId = options.lastEventId ?? "";
    if (typeof initialId !== "string" || /[\r\n\0]/.test(initialId)) {
      throw new EventsClientError("INVALID_OPTION", `lastEventId must be a string without CR, LF or NUL (got ${describeValue(initialId)})`);
    }
    this.#url = url;
    this.#client = client;
    this.#options = options;
    this.#read = read;
    this.#lastEventId = initialId;
    this.#parser = createParser({
      onEvent: (message) => this.#onEvent(message),
      onRetry: (ms) => {
        this.#unfinishedBytes = 0;
        this.#serverRetryMs = ms;
      },
      onComment: () => {
        this.#unfinishedBytes = 0;
      },
    });
    // Seeds the parser's last event id: a block with an id and no data dispatches nothing.
    if (initialId !== "") this.#parser.feed(`id: ${initialId}\n\n`);
    const { heartbeatTimeoutMs, timers, now } = client;
    this.#watchdog =
      heartbeatTimeoutMs === false ? undefined : createWatchdog({ timeoutMs: heartbeatTimeoutMs, timers, now, onTimeout: () => this.#onSilence() });
    this.#run = this.#attempts();
    options.signal?.addEventListener("abort", this.#onAbort, { once: true });
    if (options.signal?.aborted) this.#stopFromOutside("aborted");
  }

  get lastEventId(): string {
    return this.#lastEventId;
  }

  close(): void {
    this.#stopFromOutside("closed");
  }

  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    return this;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#isHalted) return Promise.resolve(DONE);
    // One resolver per call, dropped when it settles: a promise shared by every call would
    // keep a reaction per event for the life of the stream.
    return new Promise((resolve, reject) => {
      const halt = (): void => resolve(DONE);
      this.#pending.add(halt);
      this.#run.next().then(
        (result) => {
          this.#pending.delete(halt);
          resolve(result);
        },
        (error: unknown) => {
          this.#pending.delete(halt);
          reject(error);
        },
      );
    });
  }

  /** Called by `break` in `for await`: closes the stream. */
  return(): Promise<IteratorResult<T, undefined>> {
    this.close();
    return Promise.resolve(DONE);
  }

  readonly #onAbort = (): void => this.#stopFromOutside("aborted");

  #report(status: StreamStatus): void {
    if (this.#closedReported) return;
    if (status.state === "closed") this.#closedReported = true;
    this.#client.onStatus?.(status);
    this.#options.onStatus?.(status);
  }

  #stop(reason: CloseReason): void {
    this.#stopReason ??= reason;
    this.#connection?.abort();
    this.#wakeUp?.();
  }

  /** `close()`, `break` or the signal: ends a pending `next()` now, even if `fetch` ignores its abort. */
  #stopFromOutside(reason: CloseReason): void {
    if (this.#isHalted) return;
    this.#isHalted = true;
    this.#stop(reason);
    this.#cleanUp();
    this.#report({ state: "closed", reason: this.#stopReason ?? reason });
    for (const halt of this.#pending) halt();
    this.#pending.clear();
    // Runs the loop's cleanup now if it waits at a `yield`, else once its current step settles.
    void this.#run.return(undefined).catch(ignore);
  }

  #cleanUp(): void {
    this.#options.signal?.removeEventListener("abort", this.#onAbort);
    this.#watchdog?.stop();
  }

  #onSilence(): void {
    // A consumer slow to take an event is not a silent server: keep watching.
    if (this.#yielding) return this.#watchdog?.start();
    this.#timedOut = true;
    this.#connection?.abort();
  }

  #onEvent(message: SseMessage): void {
    this.#unfinishedBytes = 0;
    this.#receivedEvent = true;
    if (this.#fatal !== undefined) return;
    if (message.type === AUTH_EXPIRED_EVENT) {
      this.#authExpiry ??= readAuthExpired(message.data, this.#url);
      return;
    }
    const event = this.#read(message);
    if (event instanceof EventsClientError) this.#fatal = event;
    else if (event !== undefined) this.#queue.push(event);
  }

  async *#attempts(): AsyncGenerator<T, undefined, undefined> {
    const schedule = new ReconnectSchedule(this.#client.reconnect, this.#client.random);
    try {
      for (let attempt = 1; this.#stopReason === undefined; attempt += 1) {
        const end = yield* this.#attempt(attempt);
        if (end === undefined || this.#stopReason !== undefined) break;
        const delayMs = schedule.delayAfter(end, this.#serverRetryMs);
        this.#report(reconnectingStatus(attempt, delayMs, end));
        // onStatus may have closed the stream; do not wait out a backoff nobody needs.
        if (this.#stopReason !== undefined) break;
        await this.#sleep(delayMs);
      }
      this.#report({ state: "closed", reason: this.#stopReason ?? "closed" });
    } catch (error) {
      if (error instanceof EventsClientError) this.#report({ state: "closed", reason: "error", error });
      throw error;
    } finally {
      this.#stop("closed");
      this.#cleanUp();
      this.#report({ state: "closed", reason: this.#stopReason ?? "closed" });
    }
    return undefined;
  }

  /** One connection: yields its events, returns how it ended (or `undefined` when the stream stops). */
  async *#attempt(attempt: number): AsyncGenerator<T, AttemptEnd | undefined, undefined> {
    const connection = new AbortController();
    this.#connection = connection;
    this.#timedOut = false;
    this.#receivedEvent = false;
    this.#authExpiry = undefined;
    this.#unfinishedBytes = 0;
    this.#parser.reset();
    const { lastEventId } = this.#parser;
    this.#report({ state: "connecting", attempt, lastEventId });
    this.#watchdog?.start();
    try {
      const headers: Record<string, string> = { accept: EVENT_STREAM_TYPE, ...this.#client.headers };
      if (lastEventId !== "") headers["last-event-id"] = lastEventIdHeader(lastEventId);
      // Only a token function costs an await: without one the request goes out in this turn.
      if (this.#client.getToken !== undefined) {
        const failure = await this.#addFreshToken(headers, connection.signal);
        if (this.#stopReason !== undefined) return undefined;
        if (failure !== undefined) return this.#ended(failure);
      }
      const request = { url: this.#url, headers, fetch: this.#client.fetch, signal: connection.signal, now: this.#client.now };
      let opened: OpenResult;
      try {
        opened = await openConnection({ ...request, redirect: this.#redirect });
        if (opened.kind === "opaque-redirect") {
          // A browser hides the redirect from us: let it follow redirects (up to its own 20) from now on.
          this.#redirect = "follow";
          opened = await openConnection({ ...request, redirect: "follow" });
        }
      } catch (error) {
        if (!this.#mayRetryUnauthorized(error)) throw error;
        this.#retriedUnauthorized = true;
        return { reason: "unauthorized", error, status: 401, healthy: false, forToken: { quick: true } };
      }
      if (this.#stopReason !== undefined) return undefined;
      switch (opened.kind) {
        case "no-content":
          this.#stop("no-content");
          return undefined;
        case "retry":
          return this.#ended(opened.failure);
        case "opaque-redirect":
          // `redirect: "follow"` never answers so; a fetch that does is treated like a redirect loop.
          return this.#ended(retryableFailure("too-many-redirects", this.#url, {}));
      }
      this.#report({ state: "open", attempt });
      this.#retriedUnauthorized = false;
      const openedAt = this.#client.now();
      for await (const chunk of readChunks(opened.body, connection.signal)) {
        if (this.#stopReason !== undefined) break;
        this.#watchdog?.touch();
        this.#unfinishedBytes += chunk.byteLength;
        this.#parser.feed(chunk);
        while (this.#queue.length > 0) {
          const event = this.#queue.shift() as T;
          this.#lastEventId = event.id;
          this.#yielding = true;
          yield event;
          this.#yielding = false;
          this.#watchdog?.touch();
          if (this.#stopReason !== undefined) return undefined;
        }
        if (this.#fatal !== undefined) throw this.#fatal;
        this.#checkUnfinishedBytes();
        this.#lastEventId = this.#parser.lastEventId;
        if (this.#authExpiry !== undefined) {
          // The server ends the stream after auth-expired; do not wait for it (nor for a proxy that keeps the socket).
          const { error, expiredAt } = this.#authExpiry;
          const quick = this.#client.now() - openedAt < (this.#serverRetryMs ?? this.#client.reconnect.initialDelayMs);
          return { reason: "auth-expired", error, healthy: true, forToken: { quick, expiredAt } };
        }
      }
      if (this.#stopReason !== undefined) return undefined;
      return this.#ended(retryableFailure("connection-lost", this.#url, {}));
    } finally {
      this.#yielding = false;
      this.#watchdog?.stop();
      this.#queue.length = 0;
      connection.abort();
    }
  }

  /**
   * Sets `headers.authorization` from the token function. Its `TOKEN_ERROR` is returned as a
   * failure (the stream retries with backoff); `INVALID_TOKEN` is thrown (fatal: a bug to fix).
   */
  async #addFreshToken(headers: Record<string, string>, signal: AbortSignal): Promise<RetryableFailure | undefined> {
    try {
      Object.assign(headers, await withFreshToken({}, this.#client.getToken, signal));
      return undefined;
    } catch (error) {
      if (error instanceof EventsClientError && error.code === "TOKEN_ERROR") return retryableFailure("token-error", this.#url, { cause: error.cause });
      throw error;
    }
  }

  /** A 401 is worth one more attempt with a fresh token: only with a token function, once since the stream last opened. */
  #mayRetryUnauthorized(error: unknown): error is EventsClientError {
    return error instanceof EventsClientError && error.status === 401 && this.#client.getToken !== undefined && !this.#retriedUnauthorized;
  }

  /** How the attempt ended, blaming the watchdog when it cut the connection. */
  #ended(failure: RetryableFailure): AttemptEnd {
    const { heartbeatTimeoutMs } = this.#client;
    if (this.#timedOut && heartbeatTimeoutMs !== false) {
      failure = retryableFailure("heartbeat-timeout", this.#url, { silentMs: heartbeatTimeoutMs });
    }
    return { ...failure, healthy: this.#receivedEvent };
  }

  #checkUnfinishedBytes(): void {
    const { maxEventBytes } = this.#client;
    if (maxEventBytes === false || this.#unfinishedBytes <= maxEventBytes) return;
    // The parser buffers an unfinished line and event whole (WHATWG has no limit): stop here
    // rather than let a broken or hostile server grow this process's memory.
    throw new EventsClientError(
      "EVENT_TOO_LARGE",
      `the stream sent over ${maxEventBytes} bytes without completing an event; ` +
        "is the URL an event stream? (raise the client option maxEventBytes if events are that large)",
    );
  }

  #sleep(delayMs: number): Promise<void> {
    const { timers } = this.#client;
    return new Promise((resolve) => {
      const handle = timers.setTimeout(() => {
        this.#wakeUp = undefined;
        resolve();
      }, delayMs);
      this.#wakeUp = () => {
        this.#wakeUp = undefined;
        timers.clearTimeout(handle);
        resolve();
      };
    });
  }
}

/** The loop's own cleanup cannot fail in a way anyone could act on after `close()`. */
function ignore(): void {}
