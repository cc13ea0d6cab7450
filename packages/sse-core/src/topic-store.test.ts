import { describe, expect, test } from "vitest";
import { createStoredEvent } from "./stored-event.ts";
import { resolveSubscribeTopics } from "./topic.ts";
import { TopicStore, type TopicStoreBounds } from "./topic-store.ts";

const LOOSE: TopicStoreBounds = { maxEventsPerTopic: 1000, maxBytes: 1 << 30, maxTopics: 1000, ttlMs: undefined };

/** A store and a publish helper: one sequence for every topic, time from `now`. */
function storeWith(bounds: Partial<TopicStoreBounds> = {}): {
  store: TopicStore;
  publish(topics: readonly string[], now?: number): number;
  read(patterns: readonly string[], after: number, now?: number): { sequences: number[]; lost: string[]; oldestLost: string | undefined };
} {
  const store = new TopicStore({ ...LOOSE, ...bounds });
  let sequence = 0;
  return {
    store,
    publish(topics, now = 0) {
      sequence += 1;
      // Ids of one length, so every frame has the same size: "id: s-NNNN\ndata: x\n\n" = 20 bytes.
      store.append(sequence, createStoredEvent(`s-${String(sequence).padStart(4, "0")}`, "message", "x", topics), now);
      return sequence;
    },
    read(patterns, after, now = 0) {
      const replay = store.read(resolveSubscribeTopics(patterns), after, now);
      return { sequences: replay.events.map((event) => Number(event.id.slice(2))), lost: replay.lost, oldestLost: replay.oldestLost?.id };
    },
  };
}

const FRAME = 20;

describe("TopicStore bounds per topic", () => {
  test("keeps at most maxEventsPerTopic events in each topic, whatever the others hold", () => {
    const { store, publish, read } = storeWith({ maxEventsPerTopic: 3 });
    for (let round = 0; round < 5; round++) {
      publish(["a"]);
      publish(["b"]);
    }
    publish(["c"]);
    expect(read(["a"], 0).sequences).toEqual([5, 7, 9]);
    expect(read(["b"], 0).sequences).toEqual([6, 8, 10]);
    expect(read(["c"], 0).sequences).toEqual([11]);
    expect(store.size).toBe(7);
    expect(store.bytes).toBe(7 * FRAME);
  });

  test("reports a topic as lost after a position its count bound trimmed, and only that topic", () => {
    const { publish, read } = storeWith({ maxEventsPerTopic: 2 });
    for (let round = 0; round < 3; round++) {
      publish(["a"]);
      publish(["b"]);
    }
    publish(["b"]);
    // b held 2, 4, 6, 7 → trimmed to 6, 7; a holds 3, 5.
    expect(read(["a", "b"], 2)).toEqual({ sequences: [3, 5, 6, 7], lost: ["b"], oldestLost: "s-0006" });
    expect(read(["a"], 0).lost).toEqual(["a"]);
    expect(read(["a"], 1).lost).toEqual([]);
  });
});

describe("TopicStore bounds for the whole store", () => {
  test("takes bytes from the least recently published topic first", () => {
    const { store, publish, read } = storeWith({ maxBytes: 5 * FRAME });
    publish(["old"]);
    publish(["old"]);
    publish(["new"]);
    publish(["new"]);
    publish(["new"]);
    expect(store.bytes).toBe(5 * FRAME);
    publish(["new"]);
    // "old" was published least recently: it pays, although "new" holds more.
    expect(read(["old"], 0).sequences).toEqual([2]);
    expect(read(["new"], 0).sequences).toEqual([3, 4, 5, 6]);
    publish(["new"]);
    expect(read(["old"], 0)).toEqual({ sequences: [], lost: ["old"], oldestLost: undefined });
    expect(store.topicCount).toBe(1);
    expect(store.bytes).toBe(5 * FRAME);
  });

  test("publishing to a topic makes it the most recently published one", () => {
    const { publish, read } = storeWith({ maxBytes: 4 * FRAME });
    publish(["a"]);
    publish(["b"]);
    publish(["a"]);
    publish(["b"]);
    publish(["a"]);
    // b is least recently published now.
    expect(read(["a"], 0).sequences).toEqual([1, 3, 5]);
    expect(read(["b"], 0).sequences).toEqual([4]);
  });

  test("evicts the least recently published topic beyond maxTopics, leaving a tombstone", () => {
    const { store, publish, read } = storeWith({ maxTopics: 2 });
    publish(["a"]);
    publish(["b"]);
    publish(["a"]);
    publish(["c"]);
    expect(store.topicCount).toBe(2);
    expect(store.evictions).toBe(1);
    expect(read(["b"], 0)).toEqual({ sequences: [], lost: ["b"], oldestLost: undefined });
    // Resuming after b's last event loses nothing; a topic never seen loses nothing either.
    expect(read(["b"], 2).lost).toEqual([]);
    expect(read(["never"], 0).lost).toEqual([]);
    expect(read(["a", "c"], 0)).toEqual({ sequences: [1, 3, 4], lost: [], oldestLost: undefined });
  });

  test("reports the tombstone of an evicted topic also through a pattern", () => {
    const { publish, read } = storeWith({ maxTopics: 2 });
    publish(["x/1"]);
    publish(["x/2"]);
    publish(["y"]);
    expect(read(["x/*"], 0)).toEqual({ sequences: [2], lost: ["x/*"], oldestLost: undefined });
    expect(read(["*"], 0).lost).toEqual(["*"]);
    expect(read(["x/*"], 1).lost).toEqual([]);
  });

  test("carries a tombstone's lost sequence into the topic when it is published to again", () => {
    const { publish, read } = storeWith({ maxTopics: 1 });
    publish(["a"]);
    publish(["a"]);
    publish(["b"]);
    publish(["a"]);
    expect(read(["a"], 0)).toEqual({ sequences: [4], lost: ["a"], oldestLost: "s-0004" });
    expect(read(["a"], 2)).toEqual({ sequences: [4], lost: [], oldestLost: undefined });
  });

  test("keeps at most maxTopics tombstones, and counts every unknown topic lost below the forgotten watermark", () => {
    const { publish, read } = storeWith({ maxTopics: 2 });
    for (const topic of ["t1", "t2", "t3", "t4", "t5"]) publish([topic]);
    // t1, t2 and t3 evicted; the tombstone of t1 (sequence 1) forgotten.
    expect(read(["t2"], 1).lost).toEqual(["t2"]);
    expect(read(["t1"], 0).lost).toEqual(["t1"]);
    expect(read(["never"], 0).lost).toEqual(["never"]);
    expect(read(["never"], 1).lost).toEqual([]);
    expect(read(["t5"], 0).lost).toEqual([]);
  });

  test("counts a forgotten topic as lost also when it is published to again", () => {
    const { publish, read } = storeWith({ maxTopics: 1 });
    publish(["a"]);
    publish(["a"]);
    publish(["b"]);
    publish(["c"]);
    // a's tombstone (2) was dropped for b's: a is below the forgotten watermark.
    expect(read(["a"], 1).lost).toEqual(["a"]);
    publish(["a"]);
    expect(read(["a"], 1)).toEqual({ sequences: [5], lost: ["a"], oldestLost: "s-0005" });
  });
});

describe("TopicStore age bound", () => {
  test("expires events older than ttlMs when read, reporting them lost", () => {
    const { publish, read } = storeWith({ ttlMs: 1000 });
    publish(["a"], 0);
    publish(["a"], 500);
    publish(["b"], 600);
    expect(read(["a"], 0, 1000).sequences).toEqual([1, 2]);
    expect(read(["a", "b"], 0, 1200)).toEqual({ sequences: [2, 3], lost: ["a"], oldestLost: "s-0002" });
    expect(read(["a", "b"], 0, 1700)).toEqual({ sequences: [], lost: ["a", "b"], oldestLost: undefined });
    expect(read(["a", "b"], 3, 1700).lost).toEqual([]);
  });

  test("sweeps the least recently published topic on publish, evicting it once empty", () => {
    const { store, publish, read } = storeWith({ ttlMs: 1000 });
    publish(["quiet"], 0);
    publish(["busy"], 100);
    expect(store.topicCount).toBe(2);
    publish(["busy"], 5000);
    expect(store.topicCount).toBe(1);
    expect(store.evictions).toBe(1);
    expect(store.size).toBe(2);
    expect(read(["quiet"], 0).lost).toEqual(["quiet"]);
  });

  test("keeps everything without ttlMs", () => {
    const { publish, read } = storeWith();
    publish(["a"], 0);
    expect(read(["a"], 0, Number.MAX_SAFE_INTEGER)).toEqual({ sequences: [1], lost: [], oldestLost: undefined });
  });
});

describe("TopicStore read", () => {
  test("merges several topics in sequence order", () => {
    const { publish, read } = storeWith();
    for (let index = 0; index < 30; index++) publish([["a", "b", "c"][index % 3] as string]);
    const expected = Array.from({ length: 30 }, (_, index) => index + 1).filter((sequence) => sequence % 3 !== 2);
    expect(read(["c", "a"], 0).sequences).toEqual(expected);
    expect(read(["c", "a"], 20).sequences).toEqual(expected.filter((sequence) => sequence > 20));
  });

  test("gives an event held by two topics once", () => {
    const { store, publish, read } = storeWith();
    publish(["a", "b"]);
    publish(["b"]);
    publish(["a", "b", "c"]);
    expect(store.size).toBe(6);
    expect(read(["a", "b", "c"], 0).sequences).toEqual([1, 2, 3]);
    expect(read(["*"], 0).sequences).toEqual([1, 2, 3]);
    expect(read(["a", "*"], 0).sequences).toEqual([1, 2, 3]);
  });

  test("reads only the topics under a prefix pattern", () => {
    const { publish, read } = storeWith();
    for (const topic of ["a", "a/x", "ab/x", "a/x/y", "b/a/x", "a/z"]) publish([topic]);
    expect(read(["a/*"], 0).sequences).toEqual([2, 4, 6]);
    expect(read(["a/x/*"], 0).sequences).toEqual([4]);
    expect(read(["*"], 0).sequences).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test("finds an event by topic and sequence while that topic holds it", () => {
    const { store, publish } = storeWith({ maxEventsPerTopic: 1 });
    publish(["a", "b"]);
    publish(["b"]);
    expect(store.find("a", 1)?.id).toBe("s-0001");
    expect(store.find("b", 1)).toBeUndefined();
    expect(store.find("c", 1)).toBeUndefined();
  });

  test("drops every topic on clear", () => {
    const { store, publish, read } = storeWith();
    publish(["a", "b"]);
    store.clear();
    expect([store.size, store.bytes, store.topicCount]).toEqual([0, 0, 0]);
    expect(read(["a", "b"], 0).sequences).toEqual([]);
  });
});
