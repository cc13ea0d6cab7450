/**
 * An event stream's body on Bun's direct stream (`type: "direct"`): each chunk is one native
 * call into Bun's buffer for the response, with no queue in JavaScript and no promise per chunk.
 * Bun sends every buffer written to in a turn at the end of that turn, in one native loop; only
 * large chunks are flushed as written. ~4% less server CPU per delivery at 1,000 clients than the
 * Web body, and ~5% more by leaving live events to that loop (bench/NOTES.md). Bun only; the
 * Web-standard body (sse-core's `webStreamBody`) serves everywhere else, in-process requests included.
 */
import type { ByteSink, ByteSource, StreamBody } from "@events/sse-core";

/** Chunks of at least this many bytes go out as written (after what is buffered); smaller ones at the end of the turn. */
export const FLUSH_AT_ONCE_BYTES: number = 1024;

/** The calls of Bun's direct-stream controller this body uses (Bun 1.4.5). */
export interface BunDirectController {
  /**
   * Buffers the chunk, sent at the end of the current turn (Bun's auto-flush); a number while
   * Bun's buffer has room, a promise that settles when it drained after.
   */
  write(chunk: Uint8Array): number | Promise<unknown>;
  /** Sends what is buffered now. */
  flush(): unknown;
  /** Sends what is buffered and ends the body. */
  end(): unknown;
}

/**
 * One stream's direct body: Bun's underlying source and the event stream's {@link ByteSink} in
 * one object, no closure of its own (idle memory per connection, bench/NOTES.md).
 *
 * Bun takes every write at once and says nothing of its buffer until it is full; past that, each
 * write returns a promise settled when the client has read enough. Bytes behind those promises
 * are the queue: the same bytes a Web stream's queue would hold (Bun's pump stops reading it at
 * the same point), so the slow-consumer limit and the replay pacing read the same figure on
 * either body. The pull's promise stays pending while the stream is open: Bun ends the response
 * when it settles.
 */
export class DirectBody implements ByteSink {
  readonly #source: ByteSource;
  #controller: BunDirectController | undefined;
  /** Before Bun's first pull, sending, or ended (closed, errored or cancelled). */
  #state: "waiting" | "open" | "ended" = "waiting";
  /** Bytes written since Bun's buffer filled, not yet drained. */
  #queued = 0;
  #resolvePull: (() => void) | undefined;
  #rejectPull: ((reason?: unknown) => void) | undefined;

  constructor(source: ByteSource) {
    this.#source = source;
  }

  /** What Bun reads to make a direct stream. */
  get type(): "direct" {
    return "direct";
  }

  /** Bun's first pull, when it starts to send the response: starts the source. */
  pull(controller: BunDirectController): Promise<void> | undefined {
    if (this.#state !== "waiting") return undefined;
    this.#controller = controller;
    this.#state = "open";
    const open = new Promise<void>((resolve, reject) => {
      this.#resolvePull = resolve;
      this.#rejectPull = reject;
    });
    // A start that fails ends the response (as it errors a Web stream) and lets the source clean up.
    Promise.resolve(this.#source.start(this)).catch((error: unknown) => {
      this.error();
      this.#source.cancel(error);
    });
    return open;
  }

  /** The client went away (before the first pull too): nothing more is written, and the pull settles. */
  cancel(reason?: unknown): void {
    if (this.#state !== "ended") this.#settle(false);
    this.#source.cancel(reason);
  }

  enqueue(chunk: Uint8Array): void {
    const controller = this.#controller as BunDirectController;
    // A large chunk (a replay's, a joined burst) goes out now, behind what is buffered: appended
    // to unsent bytes, Bun grows its buffer to fit and keeps it for the life of the stream
    // (~20 KB per client after a replay; a 10,000-client storm peaked at 443 MB against 236).
    const large = chunk.byteLength >= FLUSH_AT_ONCE_BYTES;
    if (large) controller.flush();
    const written = controller.write(chunk);
    // A small one (a live event) waits for Bun's end-of-turn flush: the same turn, but every
    // stream's send in one native loop (a flush per event cost ~5% per delivery, bench/NOTES.md).
    if (large) controller.flush();
    if (typeof written === "number") return;
    const bytes = chunk.byteLength;
    this.#queued += bytes;
    const drained = (): void => {
      this.#queued -= bytes;
    };
    written.then(drained, drained);
  }

  get desiredSize(): number | null {
    return this.#state === "open" ? 0 - this.#queued : null;
  }

  close(): void {
    if (this.#state !== "open") return;
    (this.#controller as BunDirectController).end();
    this.#settle(false);
  }

  error(): void {
    if (this.#state !== "open") return;
    // Rejecting the pull with no reason aborts the response and drops Bun's buffer, silently;
    // `controller.close(reason)` would print the reason as an uncaught error, once per client.
    this.#settle(true);
  }

  #settle(aborted: boolean): void {
    this.#state = "ended";
    if (aborted) this.#rejectPull?.(undefined);
    else this.#resolvePull?.();
    this.#resolvePull = undefined;
    this.#rejectPull = undefined;
  }
}

/**
 * The direct-stream body for `createEventStream`'s `body` option. The source starts when Bun
 * begins to send the response (its first pull), and is cancelled when the client goes away.
 * @example
 * const body = createEventStream(broker, { body: bunDirectBody });
 * return new Response(body, { headers: { "content-type": "text/event-stream" } });
 */
export const bunDirectBody: StreamBody = (source) => new ReadableStream(new DirectBody(source) as unknown as UnderlyingDefaultSource<Uint8Array>);
