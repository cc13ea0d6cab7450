import { createLineScanner, type LineHandler } from "./line-scanner.ts";
import type { SseMessage } from "./types.ts";

/**
 * What a parser reports. Callbacks run synchronously inside {@link SseParser.feed}.
 * An exception thrown by a callback propagates out of `feed`; the event that was being
 * dispatched has already left the parser's buffers, and the rest of that chunk is dropped.
 */
export interface ParserCallbacks {
  /** Called for every dispatched event (a blank line after at least one `data` field). */
  onEvent(event: SseMessage): void;
  /**
   * Called for every `retry` field whose value is one or more ASCII digits, with the value
   * as a base-ten integer (milliseconds). Other `retry` values are ignored, as the spec says.
   * Values past 2^53 lose precision (past 10^308 they are `Infinity`): clamp before use.
   * @default undefined (retry fields are ignored)
   */
  onRetry?: ((ms: number) => void) | undefined;
  /**
   * Called for every comment line (a line starting with `:`), with the text after the colon
   * and one leading space removed (`": ping"` → `"ping"`), as `eventsource-parser` reports it.
   * The spec ignores comments; servers send them as keepalives.
   * @default undefined (comments are ignored)
   */
  onComment?: ((text: string) => void) | undefined;
}

/** A streaming Server-Sent Events parser, created by {@link createParser}. */
export interface SseParser {
  /**
   * Parses the next piece of the stream. Bytes are decoded as UTF-8 exactly like one
   * `TextDecoder` over the whole stream: a character split across chunks is joined,
   * invalid bytes become U+FFFD, and one byte order mark at the start of the stream is
   * stripped. A string is taken as already-decoded text (a decoder such as
   * `TextDecoderStream` has already stripped the BOM, so a U+FEFF in a string is content);
   * a string after bytes ends a UTF-8 sequence the bytes left open (as U+FFFD).
   * Never throws on any input; never dispatches an event before its blank line.
   * Do not call `feed` from inside a callback.
   */
  feed(chunk: Uint8Array | string): void;
  /**
   * Prepares for a new connection: drops the unfinished line, the data and event type
   * buffers, a pending CR, the UTF-8 decoder's state, and re-arms BOM stripping.
   * Keeps {@link SseParser.lastEventId}, like a browser's `EventSource` (Chromium seeds
   * each new connection's parser with it): events of the resumed stream that carry no
   * `id` still report the id the client resumed from. An `id` field read after the last
   * blank line (an event the old connection ended inside) is discarded.
   * Called from a callback, it also drops the rest of the chunk being parsed.
   */
  reset(): void;
  /**
   * The id to send as `Last-Event-ID` when reconnecting: the last event id buffer as of
   * the last blank line, including blocks without data, which dispatch no event (the
   * spec's "last event ID string" of an `EventSource`). `""` until an `id` field is seen.
   */
  readonly lastEventId: string;
}

const SPACE = 32;
const STREAM: TextDecodeOptions = { stream: true };
const COLON = 58;

/**
 * Creates a streaming parser for `text/event-stream` bodies that follows the WHATWG rules
 * for interpreting an event stream exactly, fed raw bytes (or decoded strings).
 *
 * @example
 * ```ts
 * const parser = createParser({ onEvent: (event) => console.log(event.type, event.data) });
 * for await (const chunk of response.body!) parser.feed(chunk);
 * ```
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export function createParser(callbacks: ParserCallbacks): SseParser {
  const { onEvent, onRetry, onComment } = callbacks;

  // Replacement (not fatal) UTF-8 decoding, as the spec's "UTF-8 decode". The leading BOM
  // is stripped here, not by the decoder: Deno 2.9.6's streaming TextDecoder (without
  // ignoreBOM) also strips a U+FEFF that starts a later call's output when the stream did not
  // start with one, dropping content (Bun had similar bugs: oven-sh/bun#25495). Keep this
  // until every supported runtime passes the BOM wire vectors with the decoder's own handling.
  let decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  /** `decoder` may hold the start of a character split across chunks. */
  let decoderMayHold = false;
  /** The first character of the stream has been seen (and a BOM there stripped). */
  let bomChecked = false;

  // The spec's buffers. `data` holds the data lines joined by LF (the spec appends LF after
  // each line and removes the last one at dispatch); `hasData` tells "no data field" apart
  // from one empty data field, which the spec's buffer tells apart as "" versus "\n".
  let data = "";
  let hasData = false;
  let eventType = "";
  /** The block's `topic:` field (our extension), undefined when it has none. */
  let topic: string | undefined;
  let idBuffer = "";
  let lastEventId = "";

  function feed(chunk: Uint8Array | string): void {
    if (typeof chunk === "string") {
      if (chunk.length === 0) return;
      if (decoderMayHold) {
        // Text is already decoded: it ends any sequence the bytes left open (as U+FFFD).
        decoderMayHold = false;
        const tail = decoder.decode();
        if (tail.length > 0) parseBytesText(tail);
      }
      // Whoever decoded a string applied the BOM rule already: a U+FEFF in it is content.
      bomChecked = true;
      scanner.scan(chunk);
      return;
    }
    const length = chunk.length;
    if (length === 0) return;
    const endsWithAscii = (chunk[length - 1] ?? 0) < 0x80;
    let text: string;
    if (!decoderMayHold && endsWithAscii) {
      // Nothing pending and no sequence open at the end (an ASCII byte ends any): a one-shot
      // decode gives exactly what a streaming one would, and Deno 2.9 decodes one-shot up to
      // 3x faster (parser throughput +20-30%, bench/NOTES.md). Not a second, never-streaming
      // decoder for Node 20's fast path: that path is slower than streaming on non-ASCII.
      text = decoder.decode(chunk);
    } else {
      text = decoder.decode(chunk, STREAM);
      decoderMayHold = !endsWithAscii;
    }
    if (text.length > 0) parseBytesText(text);
  }

  /** Parses text decoded from bytes, stripping a BOM that starts the stream. */
  function parseBytesText(text: string): void {
    if (!bomChecked) {
      // The decoder holds back incomplete sequences, so the first non-empty text starts with
      // U+FEFF exactly when the stream starts with the bytes EF BB BF.
      bomChecked = true;
      if (text.charCodeAt(0) === 0xfeff) {
        if (text.length === 1) return;
        text = text.slice(1);
      }
    }
    scanner.scan(text);
  }

  function reset(): void {
    scanner.reset();
    decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    decoderMayHold = false;
    bomChecked = false;
    data = "";
    hasData = false;
    eventType = "";
    topic = undefined;
    idBuffer = lastEventId;
  }

  /** Interprets one line (see {@link LineHandler}). */
  function parseLine(text: string, start: number, end: number): void {
    if (start === end) {
      dispatch();
      return;
    }
    const first = text.charCodeAt(start);
    // Fast paths for the usual fields, without slicing out the field name.
    if (first === 100 /* d */ && isDataField(text, start)) {
      appendData(text.slice(valueStartAfter(text, start + 5, end), end));
      return;
    }
    if (first === 101 /* e */ && isEventField(text, start)) {
      eventType = text.slice(valueStartAfter(text, start + 6, end), end);
      return;
    }
    if (first === 105 /* i */ && text.charCodeAt(start + 1) === 100 && text.charCodeAt(start + 2) === COLON) {
      const valueStart = valueStartAfter(text, start + 3, end);
      if (!containsNul(text, valueStart, end)) idBuffer = text.slice(valueStart, end);
      return;
    }
    if (first === COLON) {
      if (onComment !== undefined) {
        onComment(text.slice(text.charCodeAt(start + 1) === SPACE ? start + 2 : start + 1, end));
      }
      return;
    }
    // The field name runs to the first colon; without one, the whole line is the name and
    // the value is empty. A bounded loop, not indexOf: indexOf would search past `end`,
    // quadratic over many colon-less lines.
    let colon = start + 1;
    while (colon < end && text.charCodeAt(colon) !== COLON) colon++;
    let valueStart = colon + 1;
    if (valueStart < end && text.charCodeAt(valueStart) === SPACE) valueStart++;
    const value = valueStart < end ? text.slice(valueStart, end) : "";
    // Field names are compared literally (case-sensitive); unknown fields are ignored.
    switch (text.slice(start, colon)) {
      case "data":
        appendData(value);
        break;
      case "event":
        eventType = value;
        break;
      case "id":
        if (!value.includes("\0")) idBuffer = value;
        break;
      case "retry":
        if (onRetry !== undefined && isAsciiDigits(value)) onRetry(Number(value));
        break;
      // Our extension (the topic an event came from); EventSource ignores it as the spec says.
      case "topic":
        topic = value;
        break;
    }
  }

  function appendData(value: string): void {
    if (hasData) {
      data = `${data}\n${value}`;
    } else {
      data = value;
      hasData = true;
    }
  }

  function dispatch(): void {
    // The spec updates the last event ID string before it checks for data, so an id-only
    // block moves the resume position without dispatching anything.
    lastEventId = idBuffer;
    if (!hasData) {
      eventType = "";
      topic = undefined;
      return;
    }
    const type = eventType === "" ? "message" : eventType;
    const event: SseMessage = topic === undefined ? { type, data, lastEventId } : { type, data, lastEventId, topic };
    data = "";
    hasData = false;
    eventType = "";
    topic = undefined;
    onEvent(event);
  }

  const scanner = createLineScanner(parseLine);

  return {
    feed,
    reset,
    get lastEventId(): string {
      return lastEventId;
    },
  };
}

/** Where a value starts, `start` being just after the colon: one leading space is skipped. */
function valueStartAfter(text: string, start: number, end: number): number {
  return start < end && text.charCodeAt(start) === SPACE ? start + 1 : start;
}

/** `text` has `data:` at `index`. */
function isDataField(text: string, index: number): boolean {
  return (
    text.charCodeAt(index) === 100 &&
    text.charCodeAt(index + 1) === 97 &&
    text.charCodeAt(index + 2) === 116 &&
    text.charCodeAt(index + 3) === 97 &&
    text.charCodeAt(index + 4) === COLON
  );
}

/** `text` has `event:` at `index`. */
function isEventField(text: string, index: number): boolean {
  return (
    text.charCodeAt(index) === 101 &&
    text.charCodeAt(index + 1) === 118 &&
    text.charCodeAt(index + 2) === 101 &&
    text.charCodeAt(index + 3) === 110 &&
    text.charCodeAt(index + 4) === 116 &&
    text.charCodeAt(index + 5) === COLON
  );
}

/**
 * `text[start, end)` contains U+0000. A loop over the (short) id instead of
 * `slice(...).includes("\0")`, which costs more than the rest of the id line on Bun.
 */
function containsNul(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) if (text.charCodeAt(index) === 0) return true;
  return false;
}

/** One or more of U+0030..U+0039 (an empty value is not a number, and is ignored). */
function isAsciiDigits(value: string): boolean {
  if (value.length === 0) return false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}
