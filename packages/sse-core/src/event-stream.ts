import type { Broker, GapNotice, SubscriberHandlers, Subscription } from "./broker.ts";
import { assertValidEventName, encodeEventBytes, encodeRetry } from "./encode.ts";
import { SseError } from "./errors.ts";
import { positiveInteger } from "./options.ts";
import type { KeepAliveHub } from "./keep-alive.ts";
import { createSharedTicker, type SharedTicker } from "./shared-ticker.ts";
import type { EventId, StoredEvent } from "./types.ts";

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
  /** Subscribing failed (other than `BROKER_UNAVAILABLE`) or `openingEvent` threw: the stream errors with that error. */
  | "error";

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
  /** A `retry:` field (ms) written first, or `false` for none. @default 3000 (ms) */
  readonly retryMs?: number | false | undefined;
  /** Builds an event for this client only, written with `id` = the subscription cursor. @default none */
  readonly openingEvent?: ((context: OpeningEventContext) => { event?: string; data: string } | undefined) | undefined;
  /** Event type of the gap notice; its data is JSON `{requestedId, oldestId, reason}`. @default "gap" */
  readonly gapEventName?: string | undefined;
  /** The shared keepalive hub, or `false` for no keepalive. @default false */
  readonly keepAlive?: KeepAliveHub | false | undefined;
  /** Bytes that may be queued for this client before it is disconnected. Positive integer. @default 1048576 (1 MiB) */
  readonly maxBufferBytes?: number | undefined;
  /** Counters to add this stream's figures to. @default none */
  readonly counters?: EventStreamCounters | undefined;
  /** Aborting it ends the stream cleanly (queued bytes are still delivered). @default none */
  readonly signal?: AbortSignal | undefined;
  /** Called once when the stream ends, with the reason. @default none */
  readonly onClose?: ((reason: EventStreamCloseReason) => void) | undefined;
  /**
   * Error the stream with no reason (`controller.error(undefined)`) when it ends on a slow
   * consumer or an error; `onClose` still says why. For a Response body on Bun 1.4.5, which
   * prints an errored body's reason as an uncaught error with its stack, once per slow client.
   * @default false (the stream errors with the `SseError` or the broker's error)
   */
  readonly quietErrors?: boolean | undefined;
  /**
   * The one timer that feeds replays (and live events queued behind them) to every stream as
   * its client reads. Injectable for tests. @default a shared ticker every 10 ms, running only
   * while some replay is being fed
   */
  readonly replayTicker?: SharedTicker | undefined;
}

/** Defaults of {@link EventStreamOptions}. */
export const DEFAULT_EVENT_STREAM_OPTIONS: Readonly<{
  retryMs: number;
  gapEventName: string;
  keepAlive: false;
  maxBufferBytes: number;
}> = Object.freeze({ retryMs: 3000, gapEventName: "gap", keepAlive: false, maxBufferBytes: 1024 * 1024 });

/**
 * Turns a broker subscription into one client's `ReadableStream<Uint8Array>` (a Response body).
 *
 * On the wire, in order: `retry:`, the opening event (id = the subscription cursor), the gap
 * event (if history cannot cover `lastEventId`), replayed events, live events; keepalive
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
  const retryFrame = retryMs === false ? undefined : utf8.encode(encodeRetry(retryMs));
  const gapEventName = options.gapEventName ?? DEFAULT_EVENT_STREAM_OPTIONS.gapEventName;
  assertValidEventName(gapEventName);
  const client = new ClientStream(broker, options, maxBufferBytes, retryFrame, gapEventName);
  // No `pull`: the stream calls it (and settles a promise) after every chunk the runtime reads,
  // a quarter of the server's CPU in the 1,000-client fan-out benchmark (bench/RESULTS.md).
  // Frames are pushed as they come; the byte-sized queue tells the lag. High-water mark 0, as
  // nothing reads desiredSize for pacing: Bun 1.4.5 kept ~7 KB more RSS per idle connection
  // for a stream whose high-water mark was 1 MiB (13.5 vs 6.8 KB at 10,000 connections).
  return new ReadableStream<Uint8Array>(
    {
      start: (controller) => client.start(controller),
      cancel: () => client.finish("cancelled"),
    },
    { highWaterMark: 0, size: (chunk?: Uint8Array) => chunk?.byteLength ?? 0 },
  );
}

const utf8 = new TextEncoder();

const EMPTY_FRAME = new Uint8Array(0);

let defaultReplayTicker: SharedTicker | undefined;

/** The process's one replay-feeding timer, made on first use; it runs only while a replay is fed. */
function sharedReplayTicker(): SharedTicker {
  defaultReplayTicker ??= createSharedTicker({ name: "replay intervalMs", intervalMs: 10 });
  return defaultReplayTicker;
}

/** One client's state. Frames are enqueued whole, so every enqueue is at a frame boundary. */
class ClientStream {
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #state: "starting" | "open" | "done" = "starting";
  #subscription: Subscription | undefined;
  #removeKeepAlive: (() => void) | undefined;
  /** Frames that arrived while subscribing (gap notice, replay, early live events), written once open. */
  #early: Uint8Array[] = [];
  /** Frames waiting to be fed as the client reads: the replay, then live events that came behind it. */
  #backlog: Uint8Array[] = [];
  /** Index of the next backlog frame to write. */
  #backlogAt = 0;
  /** Backlog frames from this index on are live events (they count as lag while they wait). */
  #backlogLiveFrom = 0;
  /** Bytes of live events waiting in the backlog. */
  #backlogLiveBytes = 0;
  /** Bytes the client had read at the last keepalive tick while a replay was fed (to tell a stalled reader). */
  #consumedAtLastTick = -1;
  #removeFeeder: (() => void) | undefined;
  readonly #onFeed = (): void => this.#feed();
  /** Bytes enqueued so far. */
  #enqueuedBytes = 0;
  /** `#enqueuedBytes` once the opening frames (`retry:`, the opening event) were queued: bytes up to here are never lag. */
  #exemptEnd = 0;
  /** Live bytes queued can pass the limit only once `#enqueuedBytes` passes this: no need to look before. */
  #checkAt = 0;
  readonly #handlers: SubscriberHandlers = {
    onEvent: (event) => this.#onEvent(event),
    onGap: (gap) => this.#onGap(gap),
    onClose: () => this.finish("broker-closed"),
  };
  readonly #onAbort = (): void => this.finish("aborted");
  readonly #onKeepAlive = (frame: Uint8Array): void => this.#keepAlive(frame);

  readonly broker: Broker;
  readonly options: EventStreamOptions;
  readonly maxBufferBytes: number;
  readonly retryFrame: Uint8Array | undefined;
  readonly gapEventName: string;

  constructor(
    broker: Broker,
    options: EventStreamOptions,
    maxBufferBytes: number,
    retryFrame: Uint8Array | undefined,
    gapEventName: string,
  ) {
    this.broker = broker;
    this.options = options;
    this.maxBufferBytes = maxBufferBytes;
    this.retryFrame = retryFrame;
    this.gapEventName = gapEventName;
  }

  async start(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    this.#controller = controller;
    const { signal, lastEventId } = this.options;
    if (signal?.aborted === true) return this.finish("aborted");
    signal?.addEventListener("abort", this.#onAbort, { once: true });
    let subscription: Subscription;
    try {
      subscription = await this.broker.subscribe(this.#handlers, lastEventId === undefined ? {} : { lastEventId });
    } catch (error) {
      const code = error instanceof SseError ? error.code : undefined;
      // A broker that is down is a condition, not a bug: an errored body before its first byte
      // makes the runtime drop the connection with no status line (Bun 1.4.5), and EventSource
      // gives up for good on a non-200 answer. Opening with retry: and ending cleanly makes it
      // reconnect after that delay.
      if (code === "BROKER_UNAVAILABLE") {
        if (this.retryFrame) this.#write(this.retryFrame);
        return this.finish("broker-unavailable");
      }
      return this.finish(code === "BROKER_CLOSED" ? "broker-closed" : "error", error);
    }
    // Cancelled (or aborted) while subscribing.
    if (this.#state === "done") return subscription.unsubscribe();
    this.#subscription = subscription;
    if (this.options.counters) this.options.counters.replayed += subscription.replayed;
    try {
      if (this.retryFrame) this.#write(this.retryFrame);
      const opening = this.options.openingEvent?.({
        cursor: subscription.cursor,
        subscriberCount: this.broker.subscriberCount,
        replayed: subscription.replayed,
      });
      if (opening) {
        const { event, data } = opening;
        this.#write(encodeEventBytes(event === undefined ? { id: subscription.cursor, data } : { id: subscription.cursor, event, data }));
      }
    } catch (error) {
      return this.finish("error", error);
    }
    this.#exemptEnd = this.#enqueuedBytes;
    this.#checkAt = this.#enqueuedBytes;
    this.#backlog = this.#early;
    this.#backlogLiveFrom = this.#backlog.length;
    this.#early = [];
    this.#state = "open";
    if (this.options.keepAlive) this.#removeKeepAlive = this.options.keepAlive.add(this.#onKeepAlive);
    this.#feed();
  }

  /** Ends the stream once: unsubscribes, leaves the keepalive hub, then closes or errors it. */
  finish(reason: EventStreamCloseReason, error?: unknown): void {
    if (this.#state === "done") return;
    this.#state = "done";
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#removeKeepAlive?.();
    this.#removeKeepAlive = undefined;
    this.#removeFeeder?.();
    this.#removeFeeder = undefined;
    this.#backlog = [];
    this.options.signal?.removeEventListener("abort", this.#onAbort);
    this.#early = [];
    const controller = this.#controller;
    if (controller !== undefined && reason !== "cancelled") {
      // Erroring drops the queued bytes at once (and makes the runtime abort the response);
      // closing lets the client read what is queued first.
      if (reason === "slow-consumer" || reason === "error") controller.error(this.options.quietErrors === true ? undefined : error);
      else controller.close();
    }
    this.options.onClose?.(reason);
  }

  #onEvent(event: StoredEvent): void {
    if (this.#state === "done") return;
    if (this.options.counters) this.options.counters.delivered += 1;
    this.#push(event.frame);
  }

  #onGap(gap: GapNotice): void {
    if (this.#state === "done") return;
    if (this.options.counters) this.options.counters.gaps += 1;
    const data = JSON.stringify({ requestedId: gap.requestedId, oldestId: gap.oldestId ?? null, reason: gap.reason });
    this.#push(encodeEventBytes({ event: this.gapEventName, data }));
  }

  #push(frame: Uint8Array): void {
    // Until the opening frames are written, everything waits (in order).
    if (this.#state === "starting") {
      this.#early.push(frame);
      return;
    }
    if (this.#backlogAt < this.#backlog.length) {
      // A replay is still being fed: wait behind it, in order, counted as lag.
      this.#backlog.push(frame);
      this.#backlogLiveBytes += frame.byteLength;
      if (this.#queuedBytes() + this.#backlogLiveBytes > this.maxBufferBytes) this.#disconnectSlowConsumer();
      return;
    }
    this.#write(frame);
    // Reading the queue size costs a call per frame; lag grows by at most what was written since it was last read.
    if (this.#enqueuedBytes <= this.#checkAt) return;
    const live = this.#liveQueuedBytes();
    if (live > this.maxBufferBytes) this.#disconnectSlowConsumer();
    else this.#checkAt = this.#enqueuedBytes + (this.maxBufferBytes - live);
  }

  #write(frame: Uint8Array): void {
    (this.#controller as ReadableStreamDefaultController<Uint8Array>).enqueue(frame);
    this.#enqueuedBytes += frame.byteLength;
  }

  /**
   * Writes backlog frames while less than half the buffer is queued (the other half is room
   * for live events), and keeps the shared feeder ticking for this stream until it is empty.
   */
  #feed(): void {
    if (this.#state !== "open") return;
    const backlog = this.#backlog;
    const fillTo = this.maxBufferBytes / 2;
    while (this.#backlogAt < backlog.length && this.#queuedBytes() < fillTo) {
      const frame = backlog[this.#backlogAt] as Uint8Array;
      if (this.#backlogAt >= this.#backlogLiveFrom) this.#backlogLiveBytes -= frame.byteLength;
      this.#backlog[this.#backlogAt] = EMPTY_FRAME; // let the runtime free what the client already has
      this.#backlogAt += 1;
      this.#write(frame);
    }
    if (this.#backlogAt < backlog.length) {
      this.#removeFeeder ??= (this.options.replayTicker ?? sharedReplayTicker()).add(this.#onFeed);
      return;
    }
    this.#backlog = [];
    this.#backlogAt = 0;
    this.#backlogLiveFrom = 0;
    this.#backlogLiveBytes = 0;
    this.#consumedAtLastTick = -1;
    this.#removeFeeder?.();
    this.#removeFeeder = undefined;
  }

  #keepAlive(frame: Uint8Array): void {
    if (this.#state !== "open") return;
    if (this.#backlogAt < this.#backlog.length) {
      // A replay is being fed: a client that read nothing of it for a whole interval is stalled.
      const consumed = this.#enqueuedBytes - this.#queuedBytes();
      if (consumed === this.#consumedAtLastTick) return this.#disconnectSlowConsumer();
      this.#consumedAtLastTick = consumed;
      return;
    }
    // Only an idle stream needs it; queued bytes mean the socket is not idle, just slow.
    if (this.#queuedBytes() > 0) return;
    this.#write(frame);
  }

  /** Bytes in the stream's queue: with a high-water mark of 0, desiredSize is minus that. */
  #queuedBytes(): number {
    return -(this.#controller?.desiredSize ?? 0);
  }

  /** Queued bytes less what is left of the opening frames (the queue is FIFO: those go first). */
  #liveQueuedBytes(): number {
    const queued = this.#queuedBytes();
    const exemptLeft = this.#exemptEnd - (this.#enqueuedBytes - queued);
    return exemptLeft > 0 ? queued - exemptLeft : queued;
  }

  #disconnectSlowConsumer(): void {
    if (this.options.counters) this.options.counters.slowConsumerDisconnects += 1;
    this.finish(
      "slow-consumer",
      new SseError(
        "SLOW_CONSUMER",
        `slow consumer: more than ${this.maxBufferBytes} bytes queued for this client; it was disconnected and resumes from history with its Last-Event-ID`,
      ),
    );
  }
}
