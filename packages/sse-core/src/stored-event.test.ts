import { describe, expect, test } from "vitest";
import { encodeEventBytes } from "./encode.ts";
import { SseError } from "./errors.ts";
import { EventHistory } from "./history.ts";
import { createStoredEvent } from "./stored-event.ts";
import { createRandom } from "./test-support/feed.ts";

describe("createStoredEvent", () => {
  test("encodes the frame exactly like encodeEventBytes, leaving out the default event name", () => {
    const message = createStoredEvent("k1-7", "message", '{"message":"hé 😀"}');
    expect(message.frame).toEqual(encodeEventBytes({ id: "k1-7", data: '{"message":"hé 😀"}' }));
    const named = createStoredEvent("k1-8", "update", "a\r\nb\rc\n");
    expect(named.frame).toEqual(encodeEventBytes({ id: "k1-8", event: "update", data: "a\r\nb\rc\n" }));
    expect([named.id, named.event, named.data]).toEqual(["k1-8", "update", "a\r\nb\rc\n"]);
    for (const [id, data] of [["", "x"], ["k1-9", ""], ["k1-10", "a\nb"], ["k1-11", "a\rb"], ["k1-12", "é😀"]] as const) {
      expect(createStoredEvent(id, "message", data).frame).toEqual(encodeEventBytes({ id, data }));
    }
    expect(() => createStoredEvent("a\nb", "message", "x")).toThrow(SseError);
    expect(() => createStoredEvent("a\0b", "message", "x")).toThrow(SseError);
  });

  test("knows the frame's byte length before encoding it, for any text", () => {
    const random = createRandom(20251125);
    const pieces = ["a", "é", "€", "😀", "\ud800", "\udfff", "\r\n", "\n", "\r", '"', " ", "\u0000", "\ufeff"];
    for (let round = 0; round < 2000; round++) {
      let data = "";
      const length = Math.floor(random() * 40);
      for (let i = 0; i < length; i++) data += pieces[Math.floor(random() * pieces.length)];
      const stored = createStoredEvent(`e-${round}`, round % 2 === 0 ? "message" : "tick", data);
      const measured = stored.frameLength;
      expect(measured).toBe(stored.frame.byteLength);
    }
  });

  test("knows the frame's byte length for any id, event name and data size", () => {
    const random = createRandom(20261205);
    const pieces = ["a", "Z", "-", "é", "€", "😀", "\ufeff", " "];
    const text = (length: number): string => {
      let value = "";
      for (let i = 0; i < length; i++) value += pieces[Math.floor(random() * pieces.length)];
      return value;
    };
    for (let round = 0; round < 500; round++) {
      // Short and long ids and names (the length is measured two ways, with 32 units between).
      const id = text(Math.floor(random() * 48));
      const event = round % 3 === 0 ? "message" : text(Math.floor(random() * 48));
      const stored = createStoredEvent(id, event, text(Math.floor(random() * 64)));
      expect(stored.frameLength).toBe(stored.frame.byteLength);
    }
    // Data past what the length scratch holds is measured by encoding it.
    for (const data of ["é".repeat(30_000), "x".repeat(70_000), ""]) {
      const stored = createStoredEvent("k1-1", "tick", data);
      expect(stored.frameLength).toBe(stored.frame.byteLength);
    }
  });

  test("encodes on first read of frame, once: every read shares the same bytes", () => {
    const original = TextEncoder.prototype.encode;
    let encodes = 0;
    TextEncoder.prototype.encode = function (this: TextEncoder, input?: string) {
      encodes += 1;
      return original.call(this, input);
    } as typeof original;
    try {
      const stored = createStoredEvent("k1-1", "message", "x");
      new EventHistory().push(stored);
      expect(encodes).toBe(0);
      const first = stored.frame;
      expect(stored.frame).toBe(first);
      expect(encodes).toBe(1);
    } finally {
      TextEncoder.prototype.encode = original;
    }
  });

  test("is frozen", () => {
    const stored = createStoredEvent("k1-1", "message", "x");
    expect(Object.isFrozen(stored)).toBe(true);
    expect(() => {
      (stored as { data: string }).data = "y";
    }).toThrow(TypeError);
  });

  test("encodes frames too large to measure in place at once, with the same bytes", () => {
    const data = "é".repeat(30_000);
    const stored = createStoredEvent("k1-2", "message", data);
    expect(stored.frameLength).toBe(stored.frame.byteLength);
    expect(stored.frame).toEqual(encodeEventBytes({ id: "k1-2", data }));
  });

  test("throws a typed error for an event name with a line break", () => {
    expect(() => createStoredEvent("k1-3", "a\nb", "x")).toThrow(SseError);
  });

  test("lets history count bytes without encoding", () => {
    const history = new EventHistory({ maxEvents: 10, maxBytes: 70 });
    const events = ["one", "two", "three"].map((data, i) => createStoredEvent(`k1-${i}`, "message", data));
    for (const event of events) history.push(event);
    // Each frame is "id: k1-N\ndata: <data>\n\n": 9 + 7 + data + 1 bytes.
    expect(history.bytes).toBe(events.reduce((sum, event) => sum + 17 + event.data.length, 0));
    history.push(createStoredEvent("k1-3", "message", "x".repeat(20)));
    expect(history.size).toBe(2);
    expect(history.bytes).toBe(17 + 5 + 17 + 20);
    expect(events.every((event) => event.frameLength === event.frame.byteLength)).toBe(true);
  });
});
