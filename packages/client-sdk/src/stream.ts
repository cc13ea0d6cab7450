import { createParser, type SseMessage } from "@events/sse-core";
import { computeReconnectDelay, parseRetryAfter } from "./backoff.ts";
import { describeValue, EventsClientError, httpError } from "./errors.ts";
import { isStreamEventType, type StreamEvent } from "./events.ts";
import type { ResolvedEventsClientOptions } from "./options.ts";
import type { CloseReason, ReconnectReason, StreamStatus } from "./status.ts";
import { createWatchdog } from "./watchdog.ts";

/** Options of `client.stream()`. */
export interface StreamOptions {
  /**
   * Resume after this event id (sent as `Last-Event-ID`), e.g. one saved by an earlier run.
   * @default undefined (start from the newest event)
   */
  readonly lastEventId?: string;
  /**
   * Aborting it closes the stream at any point: while connecting, reading, or waiting to reconnect.
   * @default undefined
   */
  readonly signal?: AbortSignal;
  /**
   * Called on every state change of this stream (after the client's own `onStatus`).
   * @default undefined
   */
  readonly onStatus?: (status: StreamStatus) => void;
}

/**
 * A live, self-reconnecting stream of typed events. Iterate it once with `for await`;
 * `break` (or `close()`) closes the connection. Fatal errors (a 4xx, a wrong content type)
 * reject the iteration with an `EventsClientError`; a 204 or an abort ends it quietly.
 */
export interface EventStream extends AsyncIterable<StreamEvent> {
  /** The id of the last event handed to the consumer (`""` before any, or after the server reset it). */
  readonly lastEventId: string;
  /** Closes the connection and ends the iteration; pending and later `next()` calls resolve `done`. */
  close(): void;
  [Symbol.asyncIterator](): AsyncIterator<StreamEvent, undefined>;
}

/** Where a connection attempt ended when it did not end the stream. */
interface Retry {
  readonly reason: ReconnectReason;
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** Whether the attempt delivered at least one event (a healthy connection that dropped). */
  readonly healthy: boolean;
}

const EVENT_STREAM_TYPE = "text/event-stream";

/**
 * Opens a reconnecting stream on `url` (used by `client.stream()`).
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface
 */
export function openEventStream(url: string, client: ResolvedEventsClientOptions, options: StreamOptions = {}): EventStream {
  const { timers, now, heartbeatTimeoutMs, maxEventBytes } = client;
  const initialId = options.lastEventId ?? "";
  if (typeof initialId !== "string" || /[\r\n\0]/.test(initialId)) {
    throw new EventsClientError("INVALID_OPTION", `lastEventId must be a string without CR, LF or NUL (got ${describeValue(initialId)})`);
  }

  let lastEventId = initialId;
  let stopReason: CloseReason | undefined;
  let connection: AbortController | undefined;
  let timedOut = false;
  let yielding = false;
  let wakeUp: (() => void) | undefined;
  let closedReported = false;

  const report = (status: StreamStatus): void => {
    if (closedReported) return;
    if (status.state === "closed") closedReported = true;
    client.onStatus?.(status);
    options.onStatus?.(status);
  };
  const stop = (reason: CloseReason): void => {
    stopReason ??= reason;
    connection?.abort();
    wakeUp?.();
  };
  const onAbort = (): void => stop("aborted");
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) stop("aborted");

  const watchdog =
    heartbeatTimeoutMs === false
      ? undefined
      : createWatchdog({
          timeoutMs: heartbeatTimeoutMs,
          timers,
          now,
          onTimeout: () => {
            // A consumer slow to take an event is not a silent server: keep watching.
            if (yielding) return watchdog?.start();
            timedOut = true;
            connection?.abort();
          },
        });

  const queue: StreamEvent[] = [];
  let fatal: EventsClientError | undefined;
  /** Bytes received since the parser last completed something: what it may be holding. */
  let unfinishedBytes = 0;
  const parser = createParser({
    onEvent: (message) => {
      unfinishedBytes = 0;
      if (fatal !== undefined || !isStreamEventType(message.type)) return;
      const event = toStreamEvent(message);
      if (event instanceof EventsClientError) fatal = event;
      else queue.push(event);
    },
    onRetry: (ms) => {
      unfinishedBytes = 0;
      serverRetryMs = Math.min(ms, Number.MAX_SAFE_INTEGER);
    },
    onComment: () => {
      unfinishedBytes = 0;
    },
  });
  let serverRetryMs: number | undefined;
  if (initialId !== "") {
    // Seeds the parser's last event id: a block with an id and no data dispatches nothing.
    parser.feed(`id: ${initialId}\n\n`);
  }

  const sleep = (delayMs: number): Promise<void> =>
    new Promise((resolve) => {
      const handle = timers.setTimeout(() => {
        wakeUp = undefined;
        resolve();
      }, delayMs);
      wakeUp = () => {
        wakeUp = undefined;
        timers.clearTimeout(handle);
        resolve();
      };
    });

  /** One connection: yields its events, returns how it ended (or `undefined` when the stream stops). */
  async function* connect(attempt: number): AsyncGenerator<StreamEvent, Retry | undefined, undefined> {
    connection = new AbortController();
    timedOut = false;
    parser.reset();
    unfinishedBytes = 0;
    // `cache: "no-store"` rather than a Cache-Control header, which would cost a CORS preflight.
    const headers: Record<string, string> = { accept: EVENT_STREAM_TYPE, ...client.headers };
    if (parser.lastEventId !== "") headers["last-event-id"] = parser.lastEventId;
    report({ state: "connecting", attempt, lastEventId: parser.lastEventId });
    watchdog?.start();
    let delivered = false;
    try {
      let response: Response;
      try {
        response = await client.fetch(url, { headers, signal: connection.signal, cache: "no-store", redirect: "follow" });
      } catch {
        // Refused, reset, DNS, or our own abort: the status report carries the reason.
        return stopReason ? undefined : { reason: timedOut ? "heartbeat-timeout" : "network-error", healthy: false };
      }
      const outcome = await checkResponse(response, now());
      if (outcome !== "open") return outcome;
      report({ state: "open", attempt });
      const bodyReader = (response.body as ReadableStream<Uint8Array>).getReader();
      // Cancelling the reader ends a pending read even with a `fetch` that ignores its signal.
      connection.signal.addEventListener("abort", () => void bodyReader.cancel().catch(ignore), { once: true });
      for (;;) {
        // A read that rejects is a connection that broke off: "connection-lost", retried below.
        const chunk = await bodyReader.read().catch(() => undefined);
        if (chunk === undefined || chunk.done || stopReason) break;
        watchdog?.touch();
        unfinishedBytes += chunk.value.byteLength;
        parser.feed(chunk.value);
        while (queue.length > 0) {
          const event = queue.shift() as StreamEvent;
          delivered = true;
          lastEventId = event.id;
          yielding = true;
          yield event;
          yielding = false;
          watchdog?.touch();
          if (stopReason) return undefined;
        }
        if (fatal) throw fatal;
        if (maxEventBytes !== false && unfinishedBytes > maxEventBytes) {
          // The parser buffers an unfinished line and event whole (WHATWG has no limit): stop
          // here rather than let a broken or hostile server grow this process's memory.
          throw new EventsClientError(
            "EVENT_TOO_LARGE",
            `the stream sent over ${maxEventBytes} bytes without completing an event; ` +
              "is the URL an event stream? (raise the client option maxEventBytes if events are that large)",
          );
        }
        lastEventId = parser.lastEventId;
      }
      if (stopReason) return undefined;
      return { reason: timedOut ? "heartbeat-timeout" : "connection-lost", healthy: delivered };
    } finally {
      yielding = false;
      watchdog?.stop();
      queue.length = 0;
      connection.abort();
    }
  }

  /** Decides what an answer means: open, retry later, stop (204), or a fatal error. */
  async function checkResponse(response: Response, nowMs: number): Promise<"open" | Retry | undefined> {
    const { status } = response;
    if (status === 204) {
      stop("no-content");
      await response.body?.cancel();
      return undefined;
    }
    if (status === 200) {
      const contentType = response.headers.get("content-type") ?? "";
      const essence = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
      if (essence === EVENT_STREAM_TYPE) return response.body ? "open" : { reason: "connection-lost", healthy: false };
      await response.body?.cancel();
      throw new EventsClientError(
        "UNEXPECTED_CONTENT_TYPE",
        `the stream answered with content type ${describeValue(contentType)}; expected ${EVENT_STREAM_TYPE} (is the URL right?)`,
        { status },
      );
    }
    if (status === 408 || status === 429 || (status >= 500 && status <= 599)) {
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), nowMs);
      await response.body?.cancel();
      return { reason: "http-status", status, healthy: false, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    throw await httpError(response, `GET ${url}`);
  }

  async function* run(): AsyncGenerator<StreamEvent, undefined, undefined> {
    let failures = 0;
    let attempt = 0;
    try {
      while (!stopReason) {
        attempt += 1;
        const retry = yield* connect(attempt);
        if (retry === undefined || stopReason) break;
        failures = retry.healthy ? 0 : failures + 1;
        const delayMs = computeReconnectDelay(
          { failures, serverRetryMs, retryAfterMs: retry.retryAfterMs },
          client.reconnect,
          client.random,
        );
        report({
          state: "reconnecting",
          attempt,
          delayMs,
          reason: retry.reason,
          ...(retry.status === undefined ? {} : { status: retry.status }),
        });
        // onStatus may have closed the stream; do not wait out a backoff nobody needs.
        if (stopReason) break;
        await sleep(delayMs);
      }
      report({ state: "closed", reason: stopReason ?? "closed" });
    } catch (error) {
      if (error instanceof EventsClientError) report({ state: "closed", reason: "error", error });
      throw error;
    } finally {
      // Reached on `break` in `for await` too (the iterator's `return()`).
      stop("closed");
      options.signal?.removeEventListener("abort", onAbort);
      report({ state: "closed", reason: stopReason ?? "closed" });
    }
    return undefined;
  }

  const iterator = run();
  return {
    get lastEventId(): string {
      return lastEventId;
    },
    close(): void {
      stop("closed");
    },
    [Symbol.asyncIterator](): AsyncIterator<StreamEvent, undefined> {
      return iterator;
    },
  };
}

/** Turns a parsed message of a known type into a typed event, or the error for data that is not JSON. */
function toStreamEvent(message: SseMessage): StreamEvent | EventsClientError {
  try {
    return { type: message.type, data: JSON.parse(message.data), id: message.lastEventId } as StreamEvent;
  } catch (cause) {
    return new EventsClientError(
      "INVALID_EVENT_DATA",
      `the data of a ${JSON.stringify(message.type)} event must be JSON (got ${describeValue(message.data)})`,
      { cause },
    );
  }
}

/** Cancelling an aborted body may reject; the connection is gone either way. */
function ignore(): void {}
