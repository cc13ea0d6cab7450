import { describe, expect, test } from "vitest";
import { createParser } from "./parse.ts";
import { feedings, parseChunks } from "./test-support/feed.ts";
import type { SseMessage } from "./types.ts";

describe("createParser reading the topic field", () => {
  const stream = "id: 1\ntopic: orders/42\ndata: a\n\nid: 2\ndata: b\n\ntopic: x\ntopic: users/7\nevent: e\ndata: c\n\n";
  const expected: SseMessage[] = [
    { type: "message", data: "a", lastEventId: "1", topic: "orders/42" },
    { type: "message", data: "b", lastEventId: "2" },
    { type: "e", data: "c", lastEventId: "2", topic: "users/7" },
  ];

  test("exposes the topic, absent without a topic line, last one winning, fed whole, byte by byte and split anywhere", () => {
    for (const feeding of feedings(stream)) {
      expect({ feeding: feeding.name, events: parseChunks(feeding.chunks).events }).toEqual({ feeding: feeding.name, events: expected });
    }
    for (const feeding of feedings(new TextEncoder().encode(stream), 5)) {
      expect({ feeding: feeding.name, events: parseChunks(feeding.chunks).events }).toEqual({ feeding: feeding.name, events: expected });
    }
  });

  test("leaves the topic key out of an event without a topic line", () => {
    const [event] = parseChunks(["data: a\n\n"]).events;
    expect(event !== undefined && "topic" in event).toBe(false);
  });

  test("forgets the topic of a block that dispatched nothing", () => {
    expect(parseChunks(["topic: a\n\ndata: x\n\n"]).events).toEqual([{ type: "message", data: "x", lastEventId: "" }]);
  });

  test("forgets the topic of an unfinished block on reset()", () => {
    const events: SseMessage[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    parser.feed("id: 5\ndata: a\n\ntopic: a/b\ndata: half");
    parser.reset();
    parser.feed("data: b\n\n");
    expect(events).toEqual([
      { type: "message", data: "a", lastEventId: "5" },
      { type: "message", data: "b", lastEventId: "5" },
    ]);
  });
});
