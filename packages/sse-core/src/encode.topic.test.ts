import { describe, expect, test } from "vitest";
import { codeOf } from "./test-support/errors.ts";
import { encodeEvent, encodeEventBytes } from "./encode.ts";
import { createRandom, parseChunks, splitRandomly } from "./test-support/feed.ts";
import type { SseEvent, SseMessage } from "./types.ts";

describe("encodeEvent with a topic", () => {
  test("writes the topic line after id and event, before data", () => {
    expect(encodeEvent({ id: "k1-7", event: "order.updated", topic: "orders/42", data: '{"a":1}' })).toBe(
      'id: k1-7\nevent: order.updated\ntopic: orders/42\ndata: {"a":1}\n\n',
    );
  });

  test("writes the topic line before every data line of multi-line data", () => {
    expect(encodeEvent({ id: "1", topic: "a", data: "x\ny" })).toBe("id: 1\ntopic: a\ndata: x\ndata: y\n\n");
  });

  test("writes the topic line before retry and without id or event", () => {
    expect(encodeEvent({ topic: "users/7", retry: 10, data: "x" })).toBe("topic: users/7\nretry: 10\ndata: x\n\n");
    expect(encodeEvent({ topic: "users/7", data: "x" })).toBe("topic: users/7\ndata: x\n\n");
  });

  test("writes no topic line when the topic is undefined, exactly as before", () => {
    expect(encodeEvent({ id: "1", event: "e", data: "x" })).toBe("id: 1\nevent: e\ndata: x\n\n");
  });

  test("rejects a pattern as a topic with INVALID_TOPIC", () => {
    for (const topic of ["orders/*", "*", "a/*/b"]) {
      expect(codeOf(() => encodeEvent({ topic, data: "x" }))).toBe("INVALID_TOPIC");
    }
  });

  test("rejects a name that is not a topic with INVALID_TOPIC, also as bytes", () => {
    for (const topic of ["", "a//b", "/a", "a/", "a/../b", "a b", "a\nb", "é", "x".repeat(201)]) {
      expect(codeOf(() => encodeEvent({ topic, data: "x" }))).toBe("INVALID_TOPIC");
      expect(codeOf(() => encodeEventBytes({ topic, data: "x" }))).toBe("INVALID_TOPIC");
    }
  });
});

describe("encoder → parser round trip with topics", () => {
  const TOPICS = ["events", "orders/42", "users/7/settings", "A-Z_a.z~0:9@x", undefined];

  test("parses random events with and without topics back to their input, however the bytes are split", () => {
    const random = createRandom(15);
    for (let round = 0; round < 200; round++) {
      const events: SseEvent[] = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, index) => {
        const topic = TOPICS[Math.floor(random() * TOPICS.length)];
        const base = { id: `r${round}-${index}`, data: random() < 0.3 ? "a\r\nb" : `d${index}` };
        return topic === undefined ? base : { ...base, topic };
      });
      const bytes = new TextEncoder().encode(events.map((event) => encodeEvent(event)).join(""));
      const expected = events.map((event) => {
        const message = { type: "message", data: event.data.replace(/\r\n/g, "\n"), lastEventId: event.id as string };
        return event.topic === undefined ? message : { ...message, topic: event.topic };
      });
      expect({ round, events: parseChunks(splitRandomly(bytes, random, 10)).events }).toEqual({ round, events: expected });
    }
  });
});
