import { describeValue } from "@events/sse-core";
import { readChunks, retryableFailure, type RetryableFailure } from "./connection.ts";
import type { ResolvedConnectionOptions } from "./connection-options.ts";
import { EventsClientError } from "./errors.ts";
import { EventFeed, type MessageReader } from "./event-feed.ts";
import { ReconnectSchedule, reconnectingStatus, type AttemptEnd } from "./reconnect-schedule.ts";
import type { CloseReason, StreamStatus } from "./status.ts";
import type { EventStream } from "./stream.ts";
import { StreamConnector } from "./stream-connector.ts";
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
 * The stream `client.stream()` returns: attempts one connection after another (opened by a
 * `StreamConnector`, read through an `EventFeed`), waits the backoff between them, resumes with
 * `Last-Event-ID`, and hands the events to one consumer. A state machine: `connecting` → `open`
 * → (`reconnecting` → `connecting` → `open`)* → `closed`, reported through `onStatus`.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface
 */
export class ReconnectingStream<T extends { readonly id: string }> implements EventStream<T>, AsyncIterator<T, undefined> {
  readonly #url: string;
  readonly #client: ResolvedConnectionOptions;
  readonly #options: ReconnectingStreamOptions;
  readonly #connector: StreamConnector;
  readonly #feed: EventFeed<T>;
  readonly #watchdog: Watchdog | undefined;
  /** The loop of attempts; `next()` hands out its steps. */
  readonly #run: AsyncGenerator<T, undefined, undefined>;
  /** Ends the pending `next()` calls with `done` (a stop from outside must not wait for `fetch`). */
  readonly #pending = new Set<() => void>();
  #isHalted = false;
  #stopReason: CloseReason | undefined;
  #closedReported = false;
  #lastEventId: string;
  /** Aborts the current attempt. */
  #connection: AbortController | undefined;
  #timedOut = false;
  /** Whether the consumer holds an event (a slow consumer is not a silent server). */
  #yielding = false;
  #wakeUp: (() => void) | undefined;

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
    this.#lastEventId = initialId;
    this.#connector = new StreamConnector(url, client);
    this.#feed = new EventFeed(url, read, initialId);
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
  readonly #isStopped = (): boolean => this.#stopReason !== undefined;

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

  async *#attempts(): AsyncGenerator<T, undefined, undefined> {
    const schedule = new ReconnectSchedule(this.#client.reconnect, this.#client.random);
    try {
      for (let attempt = 1; this.#stopReason === undefined; attempt += 1) {
        const end = yield* this.#attempt(attempt);
        if (end === undefined || this.#stopReason !== undefined) break;
        const delayMs = schedule.delayAfter(end, this.#feed.serverRetryMs);
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
    const feed = this.#feed;
    feed.reset();
    const { lastEventId } = feed;
    this.#report({ state: "connecting", attempt, lastEventId });
    this.#watchdog?.start();
    try {
      const opened = await this.#connector.connect(lastEventId, connection.signal, this.#isStopped);
      if (this.#stopReason !== undefined) return undefined;
      switch (opened.kind) {
        case "stopped":
          // Stopped while the token function ran: the check above already returned.
          return undefined;
        case "unauthorized":
          return { reason: "unauthorized", error: opened.error, status: 401, healthy: false, forToken: { quick: true } };
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
      this.#connector.opened();
      const openedAt = this.#client.now();
      for await (const chunk of readChunks(opened.body, connection.signal)) {
        if (this.#stopReason !== undefined) break;
        this.#watchdog?.touch();
        feed.feed(chunk);
        for (let event = feed.take(); event !== undefined; event = feed.take()) {
          this.#lastEventId = event.id;
          this.#yielding = true;
          yield event;
          this.#yielding = false;
          this.#watchdog?.touch();
          if (this.#stopReason !== undefined) return undefined;
        }
        if (feed.fatal !== undefined) throw feed.fatal;
        feed.checkUnfinishedBytes(this.#client.maxEventBytes);
        this.#lastEventId = feed.lastEventId;
        if (feed.authExpiry !== undefined) {
          // The server ends the stream after auth-expired; do not wait for it (nor for a proxy that keeps the socket).
          const { error, expiredAt } = feed.authExpiry;
          const quick = this.#client.now() - openedAt < (feed.serverRetryMs ?? this.#client.reconnect.initialDelayMs);
          return { reason: "auth-expired", error, healthy: true, forToken: { quick, expiredAt } };
        }
      }
      if (this.#stopReason !== undefined) return undefined;
      return this.#ended(retryableFailure("connection-lost", this.#url, {}));
    } finally {
      this.#yielding = false;
      this.#watchdog?.stop();
      feed.clear();
      connection.abort();
    }
  }

  /** How the attempt ended, blaming the watchdog when it cut the connection. */
  #ended(failure: RetryableFailure): AttemptEnd {
    const { heartbeatTimeoutMs } = this.#client;
    if (this.#timedOut && heartbeatTimeoutMs !== false) {
      failure = retryableFailure("heartbeat-timeout", this.#url, { silentMs: heartbeatTimeoutMs });
    }
    return { ...failure, healthy: this.#feed.receivedEvent };
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
