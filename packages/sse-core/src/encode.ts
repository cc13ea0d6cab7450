import { SseError, describeValue } from "./errors.ts";
import { assertValidTopic } from "./topic.ts";
import type { SseEvent } from "./types.ts";

/** CR, LF and CRLF all end a line on the wire (WHATWG "interpreting an event stream"). */
const LINE_BREAK = /\r\n|\r|\n/;

/** One encoder for every frame: `TextEncoder` is stateless, so sharing it is safe. */
const utf8 = new TextEncoder();

/**
 * Encodes one event as a spec-exact frame ending in a blank line.
 *
 * `data` is split on CR, LF and CRLF into one `data:` line each, so a parser yields the
 * same string with every line break normalised to LF; `""` gives one empty `data:` line,
 * so the event is still dispatched (with empty data). Fields are written `id`, `event`,
 * `topic` (our extension, ignored by `EventSource`), `retry`, then `data`.
 *
 * @throws {SseError} `INVALID_ID` when `id` contains CR, LF or NUL; `INVALID_EVENT_NAME`
 *   when `event` contains CR or LF; `INVALID_TOPIC` when `topic` is not a topic name; `INVALID_RETRY` when `retry` is not a non-negative integer.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream
 * @example
 * ```ts
 * encodeEvent({ id: "1", event: "message", data: "a\nb" });
 * // "id: 1\nevent: message\ndata: a\ndata: b\n\n"
 * ```
 */
export function encodeEvent(event: SseEvent): string {
  let frame = "";
  if (event.id !== undefined) {
    assertValidId(event.id);
    frame += field("id", event.id);
  }
  if (event.event !== undefined) {
    assertValidEventName(event.event);
    frame += field("event", event.event);
  }
  if (event.topic !== undefined) {
    assertValidTopic(event.topic);
    frame += field("topic", event.topic);
  }
  if (event.retry !== undefined) {
    assertValidRetry(event.retry);
    frame += field("retry", String(event.retry));
  }
  const { data } = event;
  // Most data is one line: skip the split (an array and a string per line) when it is.
  if (data.indexOf("\n") === -1 && data.indexOf("\r") === -1) return `${frame}${field("data", data)}\n`;
  for (const line of data.split(LINE_BREAK)) frame += field("data", line);
  return `${frame}\n`;
}

/**
 * {@link encodeEvent} as UTF-8 bytes. A broadcast encodes an event once with this and
 * every client shares the same bytes.
 *
 * @throws {SseError} as {@link encodeEvent}.
 */
export function encodeEventBytes(event: SseEvent): Uint8Array {
  return utf8.encode(encodeEvent(event));
}

/**
 * Encodes a comment (`: text\n`), ignored by every client; multi-line text becomes one
 * comment line per line. Used for keepalives. It adds no blank line, so it never ends or
 * dispatches an event; write it between frames.
 */
export function encodeComment(text: string): string {
  let lines = "";
  for (const line of text.split(LINE_BREAK)) lines += line === "" ? ":\n" : `: ${line}\n`;
  return lines;
}

/**
 * Encodes a frame carrying only a `retry:` field (`retry: ms\n\n`): the client's reconnection
 * delay in milliseconds. It dispatches no event.
 *
 * @throws {SseError} `INVALID_RETRY` when `ms` is not a non-negative integer.
 */
export function encodeRetry(ms: number): string {
  assertValidRetry(ms);
  return `retry: ${ms}\n\n`;
}

/**
 * Whether `text` holds CR or LF (or NUL, with `nulToo`). A character loop: ids and event
 * names are short, and a regex test per publish cost ~3% of the trigger path on Bun.
 */
function hasLineBreak(text: string, nulToo: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 13 && (code === 10 || code === 13 || (nulToo && code === 0))) return true;
  }
  return false;
}

/** Throws `INVALID_ID` unless `id` can be written as an `id:` field the parser keeps. */
export function assertValidId(id: string): void {
  // The parser ignores an id field containing NUL, so such an id would silently not resume.
  if (hasLineBreak(id, true)) {
    throw new SseError(
      "INVALID_ID",
      `event id must not contain CR, LF or NUL (got ${describeValue(id)}); use an id without line breaks or NUL, e.g. a counter or a base36 string`,
    );
  }
}

/** Throws `INVALID_EVENT_NAME` unless `name` fits on one `event:` line. */
export function assertValidEventName(name: string): void {
  if (hasLineBreak(name, false)) {
    throw new SseError(
      "INVALID_EVENT_NAME",
      `event name must not contain CR or LF (got ${describeValue(name)}); use a single-line name such as "message"`,
    );
  }
}

function assertValidRetry(retry: number): void {
  if (!Number.isSafeInteger(retry) || retry < 0) {
    throw new SseError(
      "INVALID_RETRY",
      `retry must be a non-negative integer number of milliseconds (got ${describeValue(retry)}); round it, e.g. Math.round(ms)`,
    );
  }
}

/**
 * The bytes {@link field} writes for a field whose value takes `valueBytes` bytes of UTF-8
 * (`name: value\n`, or `name:\n` when empty). Keep the two in step: stored events count
 * history bytes with this before any frame is written.
 */
export function encodedFieldLength(name: string, valueBytes: number): number {
  return name.length + (valueBytes === 0 ? 2 : valueBytes + 3);
}

function field(name: string, value: string): string {
  // An empty value is written as "name:" so nothing trails on the line; the parser reads
  // it as the empty string just like "name: ".
  return value === "" ? `${name}:\n` : `${name}: ${value}\n`;
}
