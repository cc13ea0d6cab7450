import { describe, expect, test } from "vitest";
import { createParser } from "./parse.ts";
import { bytes, feedings, parseChunks, splitEvery } from "./test-support/feed.ts";
import { referenceParse } from "./test-support/reference-parser.ts";
import { wireVectors } from "./test-support/wire-vectors.ts";
import type { SseMessage } from "./types.ts";

const encoder = new TextEncoder();

describe("createParser on the wire vectors", () => {
  for (const vector of wireVectors) {
    test(`${vector.name}: same result fed whole, byte by byte and split anywhere`, () => {
      for (const feeding of feedings(vector.stream)) {
        expect({ feeding: feeding.name, output: parseChunks(feeding.chunks) }).toEqual({
          feeding: feeding.name,
          output: vector.expected,
        });
      }
    });
  }

  test("the reference parser agrees with every hand-written expectation", () => {
    for (const vector of wireVectors) {
      expect({ vector: vector.name, output: referenceParse(vector.stream) }).toEqual({
        vector: vector.name,
        output: vector.expected,
      });
    }
  });
});

describe("createParser fed strings", () => {
  test("parses decoded text split anywhere like the same bytes", () => {
    for (const vector of wireVectors) {
      const text = new TextDecoder().decode(vector.stream);
      for (const feeding of feedings(text, 5)) {
        expect({ vector: vector.name, feeding: feeding.name, output: parseChunks(feeding.chunks) }).toEqual({
          vector: vector.name,
          feeding: feeding.name,
          output: vector.expected,
        });
      }
    }
  });

  test("keeps a U+FEFF at the start of a string, since decoding already stripped the BOM", () => {
    expect(parseChunks(["\uFEFFdata: a\n\ndata: b\n\n"]).events).toEqual([message("b")]);
  });

  test("joins a surrogate pair split across strings", () => {
    expect(parseChunks(["data: \uD83D", "\uDE00\n\n"]).events).toEqual([message("😀")]);
  });

  test("ends a UTF-8 sequence left open by bytes when a string follows", () => {
    const output = parseChunks([bytes("data: a", [0xf0, 0x9f]), "b\n\n"]);
    expect(output.events).toEqual([message("a\uFFFDb")]);
  });

  test("does not strip a BOM from bytes that follow a string", () => {
    const output = parseChunks(["data: a\n\n", bytes(BOM, "data: b\n\ndata: c\n\n")]);
    expect(output.events).toEqual([message("a"), message("c")]);
  });

  test("skips the LF of a CRLF whose CR ended a string and whose LF starts bytes", () => {
    const output = parseChunks(["data: a\r", bytes("\ndata: b\n\n")]);
    expect(output.events).toEqual([message("a\nb")]);
  });
});

describe("createParser state", () => {
  test("reports the last event id of blocks without data through lastEventId", () => {
    const parser = createParser({ onEvent: () => {} });
    expect(parser.lastEventId).toBe("");
    parser.feed("id: 1\n\n");
    expect(parser.lastEventId).toBe("1");
    parser.feed("id: 2\n");
    expect(parser.lastEventId).toBe("1");
    parser.feed("\n");
    expect(parser.lastEventId).toBe("2");
  });

  test("reset drops the unfinished line, data and event type but keeps the last event id", () => {
    const events: SseMessage[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    parser.feed("id: 7\ndata: a\n\nevent: add\ndata: partial\nid: 8\ndata: cut mid-li");
    parser.reset();
    parser.feed("ne\n\ndata: b\n\n");
    expect(events).toEqual([message("a", "7"), message("b", "7")]);
    expect(parser.lastEventId).toBe("7");
  });

  test("reset forgets a pending CR", () => {
    const events: SseMessage[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    parser.feed("data: a\r");
    parser.reset();
    // After the reset, the LF is a blank line of the new stream, not the end of a CRLF.
    parser.feed("\ndata: b\n\n");
    expect(events).toEqual([message("b")]);
  });

  test("reset re-arms BOM stripping and drops a partial UTF-8 sequence", () => {
    const events: SseMessage[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    parser.feed(bytes(BOM, "data: a\n\n"));
    parser.feed(bytes("data: ", [0xf0, 0x9f]));
    parser.reset();
    parser.feed(bytes(BOM.slice(0, 1)));
    parser.feed(bytes(BOM.slice(1), "data: b\n\n"));
    expect(events).toEqual([message("a"), message("b")]);
  });

  test("reset from a callback drops the rest of the chunk", () => {
    const events: SseMessage[] = [];
    const parser = createParser({
      onEvent: (event) => {
        events.push(event);
        parser.reset();
      },
    });
    parser.feed("data: a\n\ndata: b\n\n");
    expect(events).toEqual([message("a")]);
    parser.feed("data: c\n\n");
    expect(events).toEqual([message("a"), message("c")]);
  });

  test("lets a callback's exception through and keeps parsing the next chunk", () => {
    const events: SseMessage[] = [];
    const parser = createParser({
      onEvent: (event) => {
        if (event.data === "boom") throw new Error("callback failed");
        events.push(event);
      },
    });
    expect(() => parser.feed("data: boom\n\n")).toThrow("callback failed");
    parser.feed("data: next\n\n");
    expect(events).toEqual([message("next")]);
  });

  test("keeps a CRLF whole when the callback for the line its CR ends throws", () => {
    const events: SseMessage[] = [];
    const parser = createParser({
      onEvent: (event) => events.push(event),
      onComment: () => {
        throw new Error("callback failed");
      },
    });
    expect(() => parser.feed("data: a\r\n: ping\r")).toThrow("callback failed");
    // The LF completes the comment's line end: it is not a blank line, so "a" is not dispatched yet.
    parser.feed("\ndata: b\r\n\r\n");
    expect(events).toEqual([message("a\nb")]);
  });

  test("ignores retry and comments when no callback is given", () => {
    const events: SseMessage[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    parser.feed("retry: 5\n: hi\ndata: x\n\n");
    expect(events).toEqual([message("x")]);
  });

  test("ignores empty chunks, keeping a pending CR pending", () => {
    const output = parseChunks([bytes("data: a\r"), new Uint8Array(0), "", bytes("\n\n")]);
    expect(output.events).toEqual([message("a")]);
  });

  test("reports a retry value past 2^53 as the nearest number", () => {
    expect(parseChunks(["retry: 99999999999999999999\n"]).retries).toEqual([1e20]);
  });
});

describe("createParser on large inputs", () => {
  test("completes a 5 MB line fed in 1 KB chunks", () => {
    const payload = "x".repeat(5 * 1024 * 1024);
    const stream = encoder.encode(`data: ${payload}\n\n`);
    const output = parseChunks(splitEvery(stream, 1024));
    expect(output.events.length).toBe(1);
    expect(output.events[0]?.data.length).toBe(payload.length);
    expect(output.events[0]?.data === payload).toBe(true);
  });

  test("completes a 1 MB multibyte line fed in 1 KB chunks that cut characters", () => {
    const payload = "é😀中".repeat(100_000);
    const stream = encoder.encode(`data: ${payload}\r\n\r\n`);
    const output = parseChunks(splitEvery(stream, 1023));
    expect(output.events.length).toBe(1);
    expect(output.events[0]?.data === payload).toBe(true);
  });

  test("parses 5000 events fed one byte at a time", () => {
    let text = "";
    for (let index = 0; index < 5000; index++) text += `id: ${index}\r\ndata: é${index}\r\n\r\n`;
    const output = parseChunks(splitEvery(encoder.encode(text), 1));
    expect(output.events.length).toBe(5000);
    expect(output.events[4999]).toEqual(message("é4999", "4999"));
  });

  test("completes a chunk of 500 000 colon-less lines", () => {
    const output = parseChunks([`${"x\n".repeat(500_000)}data: y\n\n`]);
    expect(output.events).toEqual([message("y")]);
  });

  test("completes a chunk of 200 000 lines with one CR at the end", () => {
    const output = parseChunks([`${"data: x\n".repeat(200_000)}\r`]);
    expect(output.events.length).toBe(1);
    expect(output.events[0]?.data.length).toBe(200_000 * 2 - 1);
  });
});

const BOM = [0xef, 0xbb, 0xbf];

function message(data: string, lastEventId = "", type = "message"): SseMessage {
  return { type, data, lastEventId };
}
