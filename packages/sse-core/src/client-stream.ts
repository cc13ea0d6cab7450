/**
 * One client's event stream, behind {@link createEventStream}: the opening frames, the replay
 * fed as the client reads, live frames, keepalives and the slow-consumer limit.
 */
import type { Broker, SubscribeOptions, SubscriberHandlers, Subscription, SubscriptionOpening } from "./broker.ts";
import { encodeEventBytes } from "./encode.ts";
import { SseError } from "./errors.ts";
import type { EventStreamCloseReason, EventStreamCounters, EventStreamOptions } from "./event-stream.ts";
import { sharedDeadlineScheduler } from "./deadline-scheduler.ts";
import { type FlushScheduler, type Flushable, sharedFlushScheduler } from "./flush-scheduler.ts";
import { MAX_JOINED_BYTES, enqueueJoined } from "./join-frames.ts";
import { openingFrames } from "./opening-frames.ts";
import { ReplayBacklog } from "./replay-backlog.ts";
import { REPLAY_CHUNK_BYTES, sharedReplayChunks } from "./replay-chunks.ts";
import { sharedReplayTicker } from "./replay-ticker.ts";
import type { KeepAliveHub, KeepAliveTarget } from "./keep-alive.ts";
import type { ByteSink, ByteSource } from "./stream-body.ts";
import { subscribeFailureReason } from "./subscribe-failure-reason.ts";
import { DEFAULT_TOPIC } from "./topic.ts";
import type { StoredEvent } from "./types.ts";

/**
 * One client's state. Frames are written to a pending list and handed to the stream by the
 * shared {@link FlushScheduler} once per turn, joined (a frame alone is handed over as is, its
 * bytes shared with every other client); every chunk ends at a frame boundary.
 */
export class ClientStream implements Flushable, SubscriberHandlers, ByteSource, EventListenerObject, KeepAliveTarget {
  // The fields every live event reads come first, in the order it reads them: JavaScriptCore
  // lays fields out in definition order, so they share the object's first cache lines (at
  // 1,000 clients, each line a broadcast touches per client is a likely cache miss, bench/NOTES.md).
  /** `feeding`: open, with a replay (and live events behind it) still waiting in `#backlog`. */
  #state: "starting" | "feeding" | "open" | "done" = "starting";
  /** `options.counters`, kept here: reading it through `options` touched one more object per event. */
  readonly #counters: EventStreamCounters | undefined;
  readonly #defaultTopic: string;
  /** While `feeding`: the replay and the live events behind it, fed as the client reads. */
  #backlog: ReplayBacklog | undefined;
  /** Bytes written so far (pending ones included). */
  #enqueuedBytes = 0;
  /** Bytes of the pending frames: they count as queued, so the slow-consumer limit stays exact. */
  #pendingBytes = 0;
  /** The first frame written since the last flush; set exactly while a flush is requested. */
  #pendingFirst: Uint8Array | undefined;
  readonly #flushScheduler: FlushScheduler;
  /** Live bytes queued can pass the limit only once `#enqueuedBytes` passes this: no need to look before. */
  #checkAt = 0;
  /** Frames written after `#pendingFirst` in the same turn (kept for reuse once made). */
  #pendingRest: Uint8Array[] | undefined;
  #controller: ByteSink | undefined;
  #subscription: Subscription | undefined;
  /** The hub this stream is attached to while open. */
  #keepAliveHub: KeepAliveHub | undefined;
  #removeDeadline: (() => void) | undefined;
  /** `#enqueuedBytes` once the opening frames (`retry:`, the opening event) were queued: bytes up to here are never lag. */
  #exemptEnd = 0;

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
    this.#defaultTopic = options.defaultTopic ?? DEFAULT_TOPIC;
    this.#counters = options.counters;
    this.#flushScheduler = options.flushScheduler ?? sharedFlushScheduler();
  }

  /** Events through this topic are written without a `topic:` line. */
  get defaultTopic(): string {
    return this.#defaultTopic;
  }

  // The stream is its own underlying source, subscriber handlers and abort listener: no
  // closure or wrapper object per client (idle memory per connection, bench/NOTES.md).

  /** The body's source: subscribes. */
  async start(controller: ByteSink): Promise<void> {
    this.#controller = controller;
    const { signal, lastEventId } = this.options;
    // A stream with its own default topic and no list follows that topic.
    const topics = this.options.topics ?? (this.options.defaultTopic === undefined ? undefined : [this.defaultTopic]);
    if (signal?.aborted === true) return this.finish("aborted");
    signal?.addEventListener("abort", this, { once: true });
    const { endsAt } = this.options;
    if (endsAt !== undefined) this.#removeDeadline = (this.options.deadlines ?? sharedDeadlineScheduler()).add(endsAt, () => this.#end());
    let subscription: Subscription;
    try {
      const subscribeOptions: SubscribeOptions = topics === undefined ? { lastEventId } : { lastEventId, topics };
      subscription = await this.broker.subscribe(this, subscribeOptions);
    } catch (error) {
      // A broker that is down ends the stream cleanly after retry: (see subscribeFailureReason).
      const reason = subscribeFailureReason(error, this.#state === "starting");
      if (reason === "broker-unavailable" && this.retryFrame) this.#write(this.retryFrame);
      return this.finish(reason, error);
    }
    // Cancelled (or aborted) while subscribing.
    if (this.#state === "done") return subscription.unsubscribe();
    this.#subscription = subscription;
    this.#feed();
  }

  /** The body's source: the reader cancelled (the client went away). */
  cancel(): void {
    this.finish("cancelled");
  }

  /** The abort listener of `options.signal`. */
  handleEvent(): void {
    this.finish("aborted");
  }

  /** Subscriber handler: the broker ended the subscription. */
  onClose(): void {
    this.finish("broker-closed");
  }

  /** Subscriber handler: writes the opening frames (before any event), then takes the replay into the backlog. */
  onOpen(opening: SubscriptionOpening): void {
    if (this.#state !== "starting") return;
    // Handed over at once, in one chunk, not through the flush scheduler: nothing can be
    // pending yet, and the replay fed right after is enqueued directly behind them.
    const chunk = openingFrames(this, opening);
    if (chunk !== undefined) {
      (this.#controller as ByteSink).enqueue(chunk);
      this.#enqueuedBytes += chunk.byteLength;
    }
    this.#exemptEnd = this.#enqueuedBytes;
    this.#checkAt = this.#enqueuedBytes;
    this.#backlog = new ReplayBacklog(opening.replayed);
    this.#state = "feeding";
    if (this.options.keepAlive) {
      this.#keepAliveHub = this.options.keepAlive;
      this.#keepAliveHub.attach(this);
    }
  }

  /** Ends the stream once: unsubscribes, leaves the keepalive hub, then closes or errors it. */
  finish(reason: EventStreamCloseReason, error?: unknown): void {
    if (this.#state === "done") return;
    this.#state = "done";
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#keepAliveHub?.detach(this);
    this.#keepAliveHub = undefined;
    this.#removeDeadline?.();
    this.#removeDeadline = undefined;
    this.#backlog?.removeFeeder?.();
    this.#backlog = undefined;
    this.options.signal?.removeEventListener("abort", this);
    const controller = this.#controller;
    if (controller !== undefined && reason !== "cancelled") {
      // Erroring drops the queued bytes at once (and makes the runtime abort the response);
      // closing lets the client read what is queued first, pending frames included.
      if (reason === "slow-consumer" || reason === "error") controller.error(this.options.quietErrors === true ? undefined : error);
      else {
        this.flush();
        controller.close();
      }
    }
    this.#pendingFirst = undefined;
    this.#pendingRest = undefined;
    this.#pendingBytes = 0;
    this.options.onClose?.(reason, { bytes: this.#enqueuedBytes });
  }

  /** `endsAt` came: the end event goes after what is queued (a replay still waiting is left to the resume). */
  #end(): void {
    this.#removeDeadline = undefined;
    if (this.#state === "done") return;
    const endEvent = this.options.endEvent;
    if (endEvent !== undefined && this.#state !== "starting") this.#write(encodeEventBytes(endEvent.event === undefined ? { data: endEvent.data } : { event: endEvent.event, data: endEvent.data }));
    this.finish("deadline");
  }

  /** Subscriber handler: an event, replayed (before the subscription resolves) or live. */
  onEvent(event: StoredEvent, topic: string): void {
    if (this.#state === "done") return;
    if (this.#counters) this.#counters.delivered += 1;
    const frame = topic === this.#defaultTopic ? event.frame : event.frameFor(topic);
    const backlog = this.#backlog;
    if (backlog?.expectsReplay === true) {
      // Replay waits in the backlog as references to the history's frames, fed as the client reads.
      backlog.addReplayed(frame);
      return;
    }
    this.#push(frame);
  }

  #push(frame: Uint8Array): void {
    // One comparison on the hot path: only a stream feeding a replay waits (a broker calls
    // onOpen before any event, so none arrives while starting).
    if (this.#state !== "open") {
      // A replay is still being fed: wait behind it, in order, counted as lag.
      const backlog = this.#backlog as ReplayBacklog;
      backlog.addLive(frame);
      if (this.#queuedBytes() + backlog.liveBytes > this.maxBufferBytes) this.#disconnectSlowConsumer();
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
    this.#enqueuedBytes += frame.byteLength;
    this.#pendingBytes += frame.byteLength;
    if (this.#pendingFirst === undefined) {
      this.#pendingFirst = frame;
      this.#flushScheduler.request(this);
    } else (this.#pendingRest ??= []).push(frame);
  }

  /** Hands the pending frames to the stream: one alone as is, several joined (see {@link enqueueJoined}). */
  flush(): void {
    const first = this.#pendingFirst;
    if (first === undefined) return;
    const rest = this.#pendingRest;
    const bytes = this.#pendingBytes;
    this.#pendingFirst = undefined;
    this.#pendingBytes = 0;
    enqueueJoined(this.#controller as ByteSink, first, rest, bytes);
    if (rest === undefined) return;
    // A burst past one chunk is rare: let its list go rather than keep the capacity for the life of the stream.
    if (bytes > MAX_JOINED_BYTES) this.#pendingRest = undefined;
    else rest.length = 0;
  }

  /**
   * Writes backlog frames while less than half the buffer is queued (the other half is room
   * for live events), and keeps the shared feeder ticking for this stream until it is empty.
   */
  #feed(): void {
    const backlog = this.#backlog;
    if (this.#state !== "feeding" || backlog === undefined) return;
    const fillTo = this.maxBufferBytes / 2;
    // Backlog frames go out joined in chunks shared with every client resuming from the same
    // place (see ReplayChunks): one socket write per chunk, not per frame, and no copy of each
    // client's replay. Anything pending goes first.
    if (this.#pendingFirst !== undefined) this.flush();
    const controller = this.#controller as ByteSink;
    const chunks = this.options.replayChunks ?? sharedReplayChunks();
    // A chunk is taken only when one of the largest fits in the room: queued replay stays
    // within half the buffer, and every client of a server joins the same runs.
    const chunkBytes = Math.min(REPLAY_CHUNK_BYTES, Math.floor(fillTo / 2));
    while (!backlog.empty && this.#queuedBytes() <= fillTo - chunkBytes) {
      const chunk = backlog.take(chunks, chunkBytes);
      controller.enqueue(chunk);
      this.#enqueuedBytes += chunk.byteLength;
    }
    if (!backlog.empty) {
      backlog.removeFeeder ??= (this.options.replayTicker ?? sharedReplayTicker()).add(() => this.#feed());
      return;
    }
    backlog.removeFeeder?.();
    this.#backlog = undefined;
    this.#state = "open";
  }

  /** The keepalive hub's tick (this stream is its target: no closure per stream). */
  onKeepAlive(frame: Uint8Array): void {
    const backlog = this.#backlog;
    if (backlog !== undefined) {
      // A replay is being fed: a client that read nothing of it for a whole interval is stalled.
      const consumed = this.#enqueuedBytes - this.#queuedBytes();
      if (consumed === backlog.consumedAtLastTick) return this.#disconnectSlowConsumer();
      backlog.consumedAtLastTick = consumed;
      return;
    }
    // Only an idle stream needs it; queued bytes mean the socket is not idle, just slow.
    if (this.#state !== "open" || this.#queuedBytes() > 0) return;
    this.#write(frame);
  }

  /** Bytes pending or in the stream's queue (with a high-water mark of 0, desiredSize is minus the latter). */
  #queuedBytes(): number {
    return this.#pendingBytes - (this.#controller?.desiredSize ?? 0);
  }

  /** Queued bytes less what is left of the opening frames (the queue is FIFO: those go first). */
  #liveQueuedBytes(): number {
    const queued = this.#queuedBytes();
    const exemptLeft = this.#exemptEnd - (this.#enqueuedBytes - queued);
    return exemptLeft > 0 ? queued - exemptLeft : queued;
  }

  #disconnectSlowConsumer(): void {
    if (this.#counters) this.#counters.slowConsumerDisconnects += 1;
    this.finish(
      "slow-consumer",
      new SseError(
        "SLOW_CONSUMER",
        `slow consumer: more than ${this.maxBufferBytes} bytes queued for this client; it was disconnected and resumes from history with its Last-Event-ID`,
      ),
    );
  }
}
