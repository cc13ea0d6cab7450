import { describe, expect, test } from "vitest";
import { encodeEvent, encodeEventBytes } from "./encode.ts";
import { createRandom, parseChunks, splitRandomly } from "./test-support/feed.ts";
import type { SseEvent, SseMessage } from "./types.ts";

// Pieces random strings are built from: every line ending, the characters the wire format
// gives meaning to, and multi-byte UTF-8 (so byte splits land inside characters).
const DATA_PIECES = ["a", "z", " ", "  ", ":", "\n", "\r", "\r\n", "\n\n", "\0", "data: x", "é", "日本", "🎉", "\uFEFF", "\t"];
const NAME_PIECES = ["a", "b", " ", ":", "é", "🎉", "\0", "-", "1"];

function randomString(random: () => number, pieces: readonly string[], maxPieces: number): string {
  let text = "";
  const count = Math.floor(random() * (maxPieces + 1));
  for (let index = 0; index < count; index++) text += pieces[Math.floor(random() * pieces.length)];
  return text;
}

function randomEvent(random: () => number): SseEvent {
  const event: { id?: string; event?: string; data: string; retry?: number } = {
    data: randomString(random, DATA_PIECES, 12),
  };
  if (random() < 0.5) event.id = randomString(random, NAME_PIECES, 6).replaceAll("\0", "");
  if (random() < 0.5) event.event = randomString(random, NAME_PIECES, 6);
  if (random() < 0.1) event.retry = Math.floor(random() * 100_000);
  return event;
}

/** What a browser reports for the events, in order (line endings normalised to LF). */
function expectedMessages(events: readonly SseEvent[]): SseMessage[] {
  let lastEventId = "";
  return events.map((event) => {
    if (event.id !== undefined) lastEventId = event.id;
    return {
      type: event.event === undefined || event.event === "" ? "message" : event.event,
      data: event.data.replace(/\r\n|\r/g, "\n"),
      lastEventId,
    };
  });
}

describe("encoder → parser round trip", () => {
  test("parses every randomly generated event back to its input, however the bytes are split", () => {
    const random = createRandom(20_260_225);
    for (let round = 0; round < 300; round++) {
      const events = Array.from({ length: 1 + Math.floor(random() * 8) }, () => randomEvent(random));
      const stream = new TextEncoder().encode(events.map((event) => encodeEvent(event)).join(""));
      const chunks = splitRandomly(stream, random, 10);
      const output = parseChunks(chunks);
      expect({ round, events: output.events }).toEqual({ round, events: expectedMessages(events) });
      expect(output.retries).toEqual(events.flatMap((event) => (event.retry === undefined ? [] : [event.retry])));
    }
  });

  test("parses bytes fed one at a time back to the input", () => {
    const event = { id: "mi-1", event: "update", data: "é\r\n🎉\rx\n\n" };
    const bytes = encodeEventBytes(event);
    const output = parseChunks(Array.from(bytes, (byte) => Uint8Array.of(byte)));
    expect(output.events).toEqual(expectedMessages([event]));
  });
});
