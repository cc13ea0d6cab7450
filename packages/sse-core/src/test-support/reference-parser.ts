// A deliberately naive, obviously spec-shaped Server-Sent Events interpreter, used as the
// oracle the streaming parser is compared against: it decodes the WHOLE stream with one
// `TextDecoder` (the spec's "UTF-8 decode": one BOM stripped, U+FFFD replacement), splits
// it into lines on CRLF, CR or LF, drops the unterminated last line, and follows the steps of
// https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
// one by one, with the spec's own buffers (data gets value + LF, the LF removed at dispatch).
import type { SseMessage } from "../types.ts";

/** Everything a parser reports for one stream. */
export interface ParseOutput {
  events: SseMessage[];
  retries: number[];
  comments: string[];
}

/** Interprets a complete stream: bytes are decoded first, a string is taken as decoded text. */
export function referenceParse(stream: Uint8Array | string): ParseOutput {
  const text = typeof stream === "string" ? stream : new TextDecoder().decode(stream);
  const output: ParseOutput = { events: [], retries: [], comments: [] };
  let dataBuffer = "";
  let eventTypeBuffer = "";
  let lastEventIdBuffer = "";
  let lastEventIdString = "";

  const lines = text.split(/\r\n|\r|\n/);
  // The part after the last line end is an unterminated line: the stream ended inside it.
  lines.pop();

  for (const line of lines) {
    if (line === "") {
      lastEventIdString = lastEventIdBuffer;
      if (dataBuffer === "") {
        dataBuffer = "";
        eventTypeBuffer = "";
        continue;
      }
      if (dataBuffer.endsWith("\n")) dataBuffer = dataBuffer.slice(0, -1);
      output.events.push({
        type: eventTypeBuffer === "" ? "message" : eventTypeBuffer,
        data: dataBuffer,
        lastEventId: lastEventIdString,
      });
      dataBuffer = "";
      eventTypeBuffer = "";
      continue;
    }
    if (line.startsWith(":")) {
      output.comments.push(line.slice(1).replace(/^ /, ""));
      continue;
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") eventTypeBuffer = value;
    else if (field === "data") dataBuffer += `${value}\n`;
    else if (field === "id") {
      if (!value.includes("\u0000")) lastEventIdBuffer = value;
    } else if (field === "retry") {
      if (/^[0-9]+$/.test(value)) output.retries.push(Number.parseInt(value, 10));
    }
  }
  return output;
}
