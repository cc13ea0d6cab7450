import type { CliFetch } from "./cli-fetch.ts";

/** An empty line ends a frame: two line ends in a row (CRLF, LF or CR, the spec's three). */
const FRAME_END = /(?:\r\n|\n|\r(?!\n))(?:\r\n|\n|\r)/;

/**
 * Cuts an event stream's bytes into frames as received: the text up to and including the
 * empty line that ends each one (events, comments, `retry:` lines, keepalives alike).
 * A trailing partial frame waits for more bytes.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream
 */
export class SseFrameSplitter {
  readonly #decoder = new TextDecoder();
  #buffer = "";

  /** Adds bytes; returns the frames they complete, in order. */
  push(chunk: Uint8Array): string[] {
    this.#buffer += this.#decoder.decode(chunk, { stream: true });
    const frames: string[] = [];
    for (;;) {
      const match = FRAME_END.exec(this.#buffer);
      if (match === null) break;
      const end = match.index + match[0].length;
      // A CR last in the buffer may be the first half of a CRLF still on its way.
      if (end === this.#buffer.length && match[0].endsWith("\r")) break;
      frames.push(this.#buffer.slice(0, end));
      this.#buffer = this.#buffer.slice(end);
    }
    return frames;
  }
}

/**
 * Whether a frame dispatches an event: it has a `data` field (an empty `data:` line
 * included). Frames without one (comments, `retry:`, a lone `id:`) dispatch nothing.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#dispatchMessage
 */
export function frameDispatches(frame: string): boolean {
  return frame.split(/\r\n|\n|\r/).some((line) => line === "data" || line.startsWith("data:"));
}

/**
 * `--raw` output: frames are written as received, each event's frame once the SDK has
 * yielded that event (so `--count` stops after exactly its frame), every other frame as
 * soon as no event frame waits before it.
 */
export class RawFramePrinter {
  readonly #write: (text: string) => Promise<void>;
  readonly #queue: string[] = [];
  #written: Promise<void> = Promise.resolve();

  /** `write` gets each frame's text, in order. */
  constructor(write: (text: string) => Promise<void>) {
    this.#write = write;
  }

  /** A frame read from the connection. */
  onFrame(frame: string): void {
    this.#queue.push(frame);
    this.#flushUntilEvent();
  }

  /** The SDK yielded the next event: writes its frame; resolves once written. */
  onEvent(): Promise<void> {
    for (let frame = this.#queue.shift(); frame !== undefined; frame = this.#queue.shift()) {
      this.#written = this.#write(frame);
      if (frameDispatches(frame)) break;
    }
    this.#flushUntilEvent();
    return this.#written;
  }

  /** The CLI's fetch, with the body of every event-stream answer read through this printer. */
  wrapFetch(inner: CliFetch): CliFetch {
    return async (input, init) => {
      const response = await inner(input, init);
      const type = response.headers.get("content-type") ?? "";
      if (response.status !== 200 || response.body === null || !type.toLowerCase().startsWith("text/event-stream")) return response;
      const splitter = new SseFrameSplitter();
      const tee = new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, controller) => {
          for (const frame of splitter.push(chunk)) this.onFrame(frame);
          controller.enqueue(chunk);
        },
      });
      return new Response(response.body.pipeThrough(tee), { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  }

  #flushUntilEvent(): void {
    while (this.#queue[0] !== undefined && !frameDispatches(this.#queue[0])) {
      this.#written = this.#write(this.#queue.shift() ?? "");
    }
  }
}
