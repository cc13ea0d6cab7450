import { describe, expect, test } from "vitest";
import { codeOf } from "./test-support/errors.ts";
import { encodeEventBytes } from "./encode.ts";
import { createStoredEvent } from "./stored-event.ts";
import { DEFAULT_TOPIC } from "./topic.ts";

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe("createStoredEvent with topics", () => {
  test("publishes to the default topic when no topics are given", () => {
    expect(createStoredEvent("k1-1", "message", "x").topics).toEqual([DEFAULT_TOPIC]);
  });

  test("keeps the topics in the publisher's order", () => {
    expect(createStoredEvent("k1-1", "message", "x", ["b", "a/c"]).topics).toEqual(["b", "a/c"]);
  });

  test("writes a frame per topic with a topic line after id and event, before data", () => {
    const stored = createStoredEvent("k1-2", "order.updated", '{"s":"paid"}', ["orders/42", "users/7"]);
    expect(text(stored.frameFor("orders/42"))).toBe('id: k1-2\nevent: order.updated\ntopic: orders/42\ndata: {"s":"paid"}\n\n');
    expect(text(stored.frameFor("users/7"))).toContain("\ntopic: users/7\n");
    expect(stored.frameFor("users/7")).toEqual(encodeEventBytes({ id: "k1-2", event: "order.updated", topic: "users/7", data: '{"s":"paid"}' }));
  });

  test("leaves the event line out of a topic frame for message events and splits multi-line data", () => {
    const stored = createStoredEvent("k1-3", "message", "a\r\nb", ["rooms/1"]);
    expect(text(stored.frameFor("rooms/1"))).toBe("id: k1-3\ntopic: rooms/1\ndata: a\ndata: b\n\n");
  });

  test("encodes each topic's frame once: a second call returns the same bytes", () => {
    const stored = createStoredEvent("k1-4", "message", "x", ["a", "b"]);
    const first = stored.frameFor("a");
    expect(stored.frameFor("a")).toBe(first);
    expect(stored.frameFor("b")).not.toBe(first);
    expect(stored.frameFor("b")).toBe(stored.frameFor("b"));
  });

  test("rejects a topic the event was not published to with INVALID_TOPIC, naming it", () => {
    const stored = createStoredEvent("k1-5", "message", "x", ["a"]);
    expect(codeOf(() => stored.frameFor("b"))).toBe("INVALID_TOPIC");
    expect(codeOf(() => stored.frameFor("a/*"))).toBe("INVALID_TOPIC");
    expect(codeOf(() => createStoredEvent("k1-6", "message", "x").frameFor("orders/1"))).toBe("INVALID_TOPIC");
    expect(() => stored.frameFor("b")).toThrow('"b"');
  });

  test("keeps frame without a topic line, whatever the topics", () => {
    for (const topics of [undefined, ["events"], ["orders/42"], ["a", "b"]]) {
      const stored = createStoredEvent("k1-7", "tick", "x", topics);
      expect(text(stored.frame)).toBe("id: k1-7\nevent: tick\ndata: x\n\n");
      expect(stored.frameLength).toBe(stored.frame.byteLength);
    }
  });

  test("keeps the default topic's frame byte-identical to an event without topics", () => {
    const plain = createStoredEvent("k1-8", "message", '{"message":"hé"}');
    const explicit = createStoredEvent("k1-8", "message", '{"message":"hé"}', [DEFAULT_TOPIC]);
    expect(explicit.frame).toEqual(plain.frame);
    expect(explicit.frame).toEqual(encodeEventBytes({ id: "k1-8", data: '{"message":"hé"}' }));
    // Asked for explicitly, the default topic gets its topic line like any other.
    expect(text(explicit.frameFor(DEFAULT_TOPIC))).toBe('id: k1-8\ntopic: events\ndata: {"message":"hé"}\n\n');
  });

  test("does not encode topic frames until asked for one", () => {
    const original = TextEncoder.prototype.encode;
    let encodes = 0;
    TextEncoder.prototype.encode = function (this: TextEncoder, input?: string) {
      encodes += 1;
      return original.call(this, input);
    } as typeof original;
    try {
      const stored = createStoredEvent("k1-9", "message", "x", ["a", "b"]);
      expect(encodes).toBe(0);
      stored.frameFor("b");
      stored.frameFor("b");
      expect(encodes).toBe(1);
    } finally {
      TextEncoder.prototype.encode = original;
    }
  });
});
