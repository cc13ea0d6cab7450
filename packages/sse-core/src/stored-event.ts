import { SseError, describeValue } from "./errors.ts";
import { assertValidEventName, assertValidId, encodedFieldLength, encodeEvent } from "./encode.ts";
import { DEFAULT_TOPIC } from "./topic.ts";
import type { StoredEvent } from "./types.ts";

const utf8 = new TextEncoder();
/** Where UTF-8 lengths are measured without allocating; longer text is measured by encoding it. */
const scratch = new Uint8Array(64 * 1024);

/** The UTF-8 byte length of `text`, without keeping any bytes. */
function utf8Length(text: string): number {
  // Ids and event names are short and usually ASCII: a character loop beats a native call there.
  if (text.length <= 32) {
    let ascii = true;
    for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
    if (ascii) return text.length;
  }
  // A UTF-16 unit takes at most 3 bytes in UTF-8: text that may not fit the scratch is encoded.
  return text.length * 3 <= scratch.length ? utf8.encodeInto(text, scratch).written : utf8.encode(text).byteLength;
}

/**
 * The byte length of the frame {@link encodeEvent} writes for a one-line `data`: an `id`
 * line, an `event` line unless it is "message", one `data` line, and the blank line.
 */
function oneLineFrameLength(id: string, event: string, data: string): number {
  const eventBytes = event === "message" ? 0 : encodedFieldLength("event", utf8Length(event));
  return encodedFieldLength("id", utf8Length(id)) + eventBytes + encodedFieldLength("data", utf8Length(data)) + 1;
}

/**
 * A stored event whose frame bytes are encoded on first read of `frame`, then shared by
 * every reader. A publish with no subscriber never pays for the frame (text or bytes: an
 * allocation each, and history would keep the text alive; bench/NOTES.md);
 * `frameLength` is exact all along.
 */
class LazyFrameEvent implements StoredEvent {
  readonly id: string;
  readonly event: string;
  readonly data: string;
  readonly topics: readonly string[];
  readonly frameLength: number;
  #frame: Uint8Array | undefined;
  /** Frames with a `topic:` line, by the topic's index in `topics` (at most 8). */
  #topicFrames: (Uint8Array | undefined)[] | undefined;

  constructor(id: string, event: string, data: string, topics: readonly string[], frameLength: number, frame: Uint8Array | undefined) {
    this.id = id;
    this.event = event;
    this.data = data;
    this.topics = topics;
    this.frameLength = frameLength;
    this.#frame = frame;
    // Private fields stay writable: freezing keeps the public shape immutable and the memo working.
    Object.freeze(this);
  }

  get frame(): Uint8Array {
    this.#frame ??= utf8.encode(frameText(this.id, this.event, this.data, undefined));
    return this.#frame;
  }

  frameFor(topic: string): Uint8Array {
    const index = this.topics.indexOf(topic);
    if (index === -1) {
      throw new SseError("INVALID_TOPIC", `event ${this.id} was not published to topic ${describeValue(topic)} (its topics: ${this.topics.join(", ")})`);
    }
    this.#topicFrames ??= [];
    let frame = this.#topicFrames[index];
    if (frame === undefined) {
      frame = utf8.encode(frameText(this.id, this.event, this.data, topic));
      this.#topicFrames[index] = frame;
    }
    return frame;
  }
}

function frameText(id: string, event: string, data: string, topic: string | undefined): string {
  // "message" is what a client assumes without an event line: leave it out of the frame.
  const named = event === "message" ? { id, data } : { id, event, data };
  return encodeEvent(topic === undefined ? named : { ...named, topic });
}

const DEFAULT_TOPICS: readonly string[] = Object.freeze([DEFAULT_TOPIC]);

/**
 * Builds the frozen {@link StoredEvent} a broker keeps: the id and event name are checked
 * now (so a bad one throws here), frames are encoded to bytes on first use. `topics` are
 * taken as checked (see `resolvePublishTopics`).
 * @throws {SseError} as {@link encodeEvent}.
 */
export function createStoredEvent(id: string, event: string, data: string, topics: readonly string[] = DEFAULT_TOPICS): StoredEvent {
  assertValidId(id);
  // "message", the event of every trigger, is known to be valid.
  if (event !== "message") assertValidEventName(event);
  // Multi-line data (never a JSON payload) is rare: measure it by encoding the frame now.
  if (data.indexOf("\n") !== -1 || data.indexOf("\r") !== -1) {
    const frame = utf8.encode(frameText(id, event, data, undefined));
    return new LazyFrameEvent(id, event, data, topics, frame.byteLength, frame);
  }
  return new LazyFrameEvent(id, event, data, topics, oneLineFrameLength(id, event, data), undefined);
}
