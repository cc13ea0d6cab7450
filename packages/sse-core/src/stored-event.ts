import { encodeEvent } from "./encode.ts";
import type { StoredEvent } from "./types.ts";

const utf8 = new TextEncoder();
/** Where frame lengths are measured without allocating; frames that may not fit are encoded at once. */
const scratch = new Uint8Array(64 * 1024);

/**
 * A stored event whose frame bytes are encoded on first read of `frame`, then shared by
 * every reader. A publish with no subscriber never pays for the bytes (an allocation that
 * cost ~0.5 µs per trigger on Bun, bench/RESULTS.md); `frameLength` is exact all along.
 */
class LazyFrameEvent implements StoredEvent {
  readonly id: string;
  readonly event: string;
  readonly data: string;
  readonly frameLength: number;
  #text: string | undefined;
  #frame: Uint8Array | undefined;

  constructor(id: string, event: string, data: string, text: string, frame: Uint8Array | undefined) {
    this.id = id;
    this.event = event;
    this.data = data;
    this.#frame = frame;
    this.#text = frame === undefined ? text : undefined;
    this.frameLength = frame === undefined ? utf8.encodeInto(text, scratch).written : frame.byteLength;
    // Private fields stay writable: freezing keeps the public shape immutable and the memo working.
    Object.freeze(this);
  }

  get frame(): Uint8Array {
    if (this.#frame === undefined) {
      this.#frame = utf8.encode(this.#text);
      this.#text = undefined;
    }
    return this.#frame;
  }
}

/**
 * Builds the frozen {@link StoredEvent} a broker keeps: the frame is written now (so a bad
 * event name throws here) and encoded to bytes on first use.
 * @throws {SseError} as {@link encodeEvent}.
 */
export function createStoredEvent(id: string, event: string, data: string): StoredEvent {
  // "message" is what a client assumes without an event line: leave it out of the frame.
  const text = encodeEvent(event === "message" ? { id, data } : { id, event, data });
  // A UTF-8 frame takes at most 3 bytes per UTF-16 unit; one that may not fit the scratch is encoded now.
  return new LazyFrameEvent(id, event, data, text, text.length * 3 > scratch.length ? utf8.encode(text) : undefined);
}
