/**
 * An event stream's body on Bun's direct stream (`type: "direct"`): each chunk goes to the
 * socket in one native call, with no queue in JavaScript and no promise per chunk (~4% less
 * server CPU per delivery at 1,000 clients, bench/NOTES.md). Bun only; the Web-standard body
 * (sse-core's `webStreamBody`) serves everywhere else, in-process requests included.
 */
import type { ByteSink, ByteSource, StreamBody } from "@events/sse-core";

/** The calls of Bun's direct-stream controller this body uses (Bun 1.4.5). */
export interface BunDirectController {
  /** Buffers the chunk; a number while Bun's buffer has room, a promise that settles when it drained after. */
  write(chunk: Uint8Array): number | Promise<unknown>;
  /** Sends what is buffered. */
  flush(): unknown;
  /** Sends what is buffered and ends the body. */
  end(): unknown;
}

/**
 * A {@link ByteSink} on a direct-stream controller. Bun takes every write at once and says
 * nothing of its buffer until it is full; past that, each write returns a promise settled when
 * the client has read enough. Bytes behind those promises are the queue: the same bytes a Web
 * stream's queue would hold (Bun's pump stops reading it at the same point), so the
 * slow-consumer limit and the replay pacing read the same figure on either body.
 */
export class DirectSink implements ByteSink {
  readonly #controller: BunDirectController;
  /** Bytes written since Bun's buffer filled, not yet drained. */
  #queued = 0;
  #open = true;
  readonly #settle: (aborted: boolean) => void;

  /** `settle(true)` aborts the response, `settle(false)` lets it end (the pull's promise). */
  constructor(controller: BunDirectController, settle: (aborted: boolean) => void) {
    this.#controller = controller;
    this.#settle = settle;
  }

  enqueue(chunk: Uint8Array): void {
    const written = this.#controller.write(chunk);
    this.#controller.flush();
    if (typeof written === "number") return;
    const bytes = chunk.byteLength;
    this.#queued += bytes;
    const drained = (): void => {
      this.#queued -= bytes;
    };
    written.then(drained, drained);
  }

  get desiredSize(): number | null {
    return this.#open ? 0 - this.#queued : null;
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#controller.end();
    this.#settle(false);
  }

  error(): void {
    if (!this.#open) return;
    this.#open = false;
    // Rejecting the pull with no reason aborts the response and drops Bun's buffer, silently;
    // `controller.close(reason)` would print the reason as an uncaught error, once per client.
    this.#settle(true);
  }

  /** The client went away: nothing more is written, and the pull settles (no promise kept per closed stream). */
  cancelled(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#settle(false);
  }
}

/**
 * The direct-stream body for `createEventStream`'s `body` option. The source starts when Bun
 * begins to send the response (its first pull), and is cancelled when the client goes away.
 * @example
 * const body = createEventStream(broker, { body: bunDirectBody });
 * return new Response(body, { headers: { "content-type": "text/event-stream" } });
 */
export const bunDirectBody: StreamBody = (source: ByteSource) => {
  let sink: DirectSink | undefined;
  let cancelled = false;
  const underlying = {
    type: "direct",
    // Bun ends the response when the pull settles: it settles when the stream ends.
    pull(controller: BunDirectController): Promise<void> | undefined {
      if (cancelled) return undefined;
      return new Promise<void>((resolve, reject) => {
        sink = new DirectSink(controller, (aborted) => (aborted ? reject(undefined) : resolve()));
        void source.start(sink);
      });
    },
    cancel(reason?: unknown): void {
      cancelled = true;
      sink?.cancelled();
      source.cancel(reason);
    },
  };
  return new ReadableStream(underlying as unknown as UnderlyingDefaultSource<Uint8Array>);
};
