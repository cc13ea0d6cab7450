import type { Broker } from "./broker.ts";
import { ClientStream } from "./client-stream.ts";
import { assertValidEventName, encodeRetry } from "./encode.ts";
import type { KeepAliveHub } from "./keep-alive.ts";
import { positiveInteger } from "./options.ts";
import type { DeadlineScheduler } from "./deadline-scheduler.ts";
import type { FlushScheduler } from "./flush-scheduler.ts";
import type { ReplayChunks } from "./replay-chunks.ts";
import type { SharedTicker } from "./shared-ticker.ts";
import { type StreamBody, webStreamBody } from "./stream-body.ts";
import type { EventId } from "./types.ts";

/** Why a client's event stream ended (given to `onClose`). */
export type EventStreamCloseReason =
  /** The consumer cancelled the stream (the client went away). */
  | "cancelled"
  /** More than `maxBufferBytes` were queued for this client: it was disconnected. */
  | "slow-consumer"
  /** The broker ended the subscription (`broker.close()`) or was closed already. */
  | "broker-closed"
  /**
   * Subscribing failed with `BROKER_UNAVAILABLE` (e.g. Redis down): the stream wrote `retry:`
   * (when enabled) and ended cleanly, so the client reconnects after that delay.
   */
  | "broker-unavailable"
  /** `signal` was aborted (server shutdown). */
  | "aborted"
  /** `endsAt` came (e.g. the client's token expired): the stream wrote `endEvent` and ended cleanly. */
  | "deadline"
  /** Subscribing failed (other than `BROKER_UNAVAILABLE`) or `openingEvent` threw: the stream errors with that error. */
  | "error";

/** What a stream did, told to `onClose` (e.g. for a request log line). */
export interface EventStreamSummary {
  /**
   * Bytes the stream handed to its reader (the runtime writing the response): every frame,
   * comment and `retry:` enqueued. A stream cut as a slow consumer drops what was still queued.
   */
  readonly bytes: number;
}

/** Shared, mutable counters a server exposes as metrics. Create with {@link createEventStreamCounters}. */
export interface EventStreamCounters {
  /** Events (replayed and live) handed to clients. */
  delivered: number;
  /** Events replayed from history. */
  replayed: number;
  /** Gap notices sent. */
  gaps: number;
  /** Clients disconnected for exceeding `maxBufferBytes`. */
  slowConsumerDisconnects: number;
}

/** Creates zeroed {@link EventStreamCounters}. */
export function createEventStreamCounters(): EventStreamCounters {
  return { delivered: 0, replayed: 0, gaps: 0, slowConsumerDisconnects: 0 };
}

/** What {@link EventStreamOptions.openingEvent} gets to build the first event. */
export interface OpeningEventContext {
  /** Where this stream continues from (written as the opening event's `id`). */
  readonly cursor: EventId;
  /** The broker's subscriber count, this client included. */
  readonly subscriberCount: number;
  /** How many events are replayed from history right after the opening event (and the gap notice). */
  readonly replayed: number;
}

/** Options of {@link createEventStream}. */
export interface EventStreamOptions {
  /** Resume after this id (Last-Event-ID header or `?lastEventId=`); `""` means none. @default undefined (live only) */
  readonly lastEventId?: string | undefined;
  /**
   * Topic names and patterns to follow, passed to `broker.subscribe` (see `SubscribeOptions.topics`).
   * @default [defaultTopic] (["events"] unless `defaultTopic` says otherwise)
   */
  readonly topics?: readonly string[] | undefined;
  /**
   * The topic whose events are written without a `topic:` line (and whose gap events keep the
   * `{requestedId, oldestId, reason}` shape when it is the only topic followed); every other
   * topic's events carry `topic: <name>`. @default DEFAULT_TOPIC ("events")
   */
  readonly defaultTopic?: string | undefined;
  /** A `retry:` field (ms) written first, or `false` for none. @default 3000 (ms) */
  readonly retryMs?: number | false | undefined;
  /** Builds an event for this client only, written with `id` = the subscription cursor. @default none */
  readonly openingEvent?: ((context: OpeningEventContext) => { event?: string; data: string } | undefined) | undefined;
  /**
   * Event type of the gap notice; its data is JSON `{requestedId, oldestId, reason}`, plus
   * `topics` (the topics and patterns that lost events) unless only `defaultTopic` is followed. @default "gap"
   */
  readonly gapEventName?: string | undefined;
  /** The shared keepalive hub, or `false` for no keepalive. @default false */
  readonly keepAlive?: KeepAliveHub | false | undefined;
  /** Bytes that may be queued for this client before it is disconnected. Positive integer. @default 1048576 (1 MiB) */
  readonly maxBufferBytes?: number | undefined;
  /**
   * Makes the Response body around the stream (see {@link StreamBody}). The Bun server passes
   * one on Bun's direct stream, which writes to the socket without a promise per chunk.
   * @default {@link webStreamBody}: a Web `ReadableStream` with a byte-counting queue
   */
  readonly body?: StreamBody | undefined;
  /** Counters to add this stream's figures to. @default none */
  readonly counters?: EventStreamCounters | undefined;
  /** Aborting it ends the stream cleanly (queued bytes are still delivered). @default none */
  readonly signal?: AbortSignal | undefined;
  /** Called once when the stream ends, with the reason and what it wrote. @default none */
  readonly onClose?: ((reason: EventStreamCloseReason, summary: EventStreamSummary) => void) | undefined;
  /**
   * Error the stream with no reason (`controller.error(undefined)`) when it ends on a slow
   * consumer or an error; `onClose` still says why. For a Response body on Bun 1.4.5, which
   * prints an errored body's reason as an uncaught error with its stack, once per slow client.
   * @default false (the stream errors with the `SseError` or the broker's error)
   */
  readonly quietErrors?: boolean | undefined;
  /**
   * When the stream ends by itself, in epoch milliseconds (e.g. the expiry of the token that
   * opened it): it writes `endEvent` after what is queued and closes cleanly
   * (`onClose("deadline")`), so the client reconnects (with a fresh token) and resumes by its
   * Last-Event-ID. Timed by `deadlines`, not by a timer per stream. @default never
   */
  readonly endsAt?: number | undefined;
  /** The event written when `endsAt` comes (no `id`, so the client's Last-Event-ID stays). @default none */
  readonly endEvent?: { readonly event?: string; readonly data: string } | undefined;
  /** Times `endsAt`. Injectable for tests. @default the process's shared deadline scheduler */
  readonly deadlines?: DeadlineScheduler | undefined;
  /**
   * The one timer that feeds replays (and live events queued behind them) to every stream as
   * its client reads. Injectable for tests. @default a shared ticker every 10 ms, running only
   * while some replay is being fed
   */
  readonly replayTicker?: SharedTicker | undefined;
  /**
   * Joins replayed frames into chunks of up to 16 KiB, shared between clients resuming from
   * the same place (one socket write per chunk, no copy per client). Injectable for tests.
   * @default one cache per process, of at most 256 chunks
   */
  readonly replayChunks?: ReplayChunks | undefined;
  /**
   * Hands the frames written to the stream in one turn of the event loop to its reader
   * together, joined into one chunk (one socket write where the runtime writes a chunk at a
   * time), for every stream at once. Injectable for tests. @default the process's shared
   * flush scheduler (`setImmediate` where the runtime has it, else `setTimeout(0)`)
   */
  readonly flushScheduler?: FlushScheduler | undefined;
}

/** Defaults of {@link EventStreamOptions}. */
export const DEFAULT_EVENT_STREAM_OPTIONS: Readonly<{
  retryMs: number;
  gapEventName: string;
  keepAlive: false;
  maxBufferBytes: number;
}> = Object.freeze({ retryMs: 3000, gapEventName: "gap", keepAlive: false, maxBufferBytes: 1024 * 1024 });

const utf8 = new TextEncoder();

/** The last `retry:` frame made: a server's streams share one `retryMs`, so they share its bytes. */
let lastRetry: { readonly ms: number; readonly frame: Uint8Array } | undefined;

/** The `retry:` frame for `ms` (validated by `encodeRetry`), shared with the last stream that had the same. */
function retryFrameOf(ms: number): Uint8Array {
  if (lastRetry?.ms !== ms) lastRetry = { ms, frame: utf8.encode(encodeRetry(ms)) };
  return lastRetry.frame;
}

/**
 * Turns a broker subscription into one client's `ReadableStream<Uint8Array>` (a Response body).
 *
 * On the wire, in order: `retry:`, the opening event (id = the subscription cursor), the gap
 * event (if history cannot cover `lastEventId`), replayed events, live events (an event of a
 * topic other than `defaultTopic` with a `topic:` line naming the topic); keepalive
 * comments go between frames, only while nothing is queued. Replay is fed as the client reads:
 * at most half of `maxBufferBytes` is queued at a time (the rest waits as references to the
 * history's own frames), and live events that arrive meanwhile wait behind it, in order.
 * Replayed bytes count as lag like live ones: a client with more than `maxBufferBytes` queued
 * or waiting behind its replay, or one that read nothing of its replay for a whole keepalive
 * interval, is disconnected: the stream errors (dropping its queue), `onClose("slow-consumer")`
 * runs, and the client resumes from history with its Last-Event-ID, from where it got to.
 * Cancelling unsubscribes at once.
 * When the broker cannot be reached (`subscribe` rejects with `BROKER_UNAVAILABLE`), the
 * stream is only `retry:` and ends cleanly (`onClose("broker-unavailable")`), so the client
 * reconnects after that delay.
 *
 * @throws {SseError} `INVALID_OPTION`, `INVALID_RETRY` or `INVALID_EVENT_NAME` for bad options.
 * @example
 * ```ts
 * const body = createEventStream(broker, {
 *   lastEventId: request.headers.get("last-event-id") ?? undefined,
 *   keepAlive: hub,
 *   openingEvent: ({ cursor, subscriberCount }) => ({ event: "connected", data: JSON.stringify({ clients: subscriberCount }) }),
 * });
 * return new Response(body, { headers: { "content-type": "text/event-stream" } });
 * ```
 */
export function createEventStream(broker: Broker, options: EventStreamOptions = {}): ReadableStream<Uint8Array> {
  const maxBufferBytes = positiveInteger("maxBufferBytes", options.maxBufferBytes, DEFAULT_EVENT_STREAM_OPTIONS.maxBufferBytes);
  const retryMs = options.retryMs ?? DEFAULT_EVENT_STREAM_OPTIONS.retryMs;
  const retryFrame = retryMs === false ? undefined : retryFrameOf(retryMs);
  const gapEventName = options.gapEventName ?? DEFAULT_EVENT_STREAM_OPTIONS.gapEventName;
  assertValidEventName(gapEventName);
  const client = new ClientStream(broker, options, maxBufferBytes, retryFrame, gapEventName);
  return (options.body ?? webStreamBody)(client);
}
