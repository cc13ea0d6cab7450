import { describe, expect, test } from "vitest";
import { rejectionCode } from "./test-support/errors.ts";
import type { SubscriberHandlers } from "./broker.ts";
import { SseError } from "./errors.ts";
import { formatEventId } from "./event-id.ts";
import { MemoryBroker } from "./memory-broker.ts";

const EPOCH = 1_764_000_000_000;
const id = (sequence: number): string => formatEventId(EPOCH, sequence);

/** A subscriber that records `data@topic` for every event it gets. */
function collector(): SubscriberHandlers & { got: string[] } {
  const got: string[] = [];
  return { got, onEvent: (event, topic) => got.push(`${event.data}@${topic}`) };
}

describe("MemoryBroker topic isolation", () => {
  test("delivers an event only to subscribers of its topic", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const a = collector();
    const b = collector();
    const fallback = collector();
    await broker.subscribe(a, { topics: ["a"] });
    await broker.subscribe(b, { topics: ["b"] });
    await broker.subscribe(fallback);
    await broker.publish({ topics: ["a"], data: "1" });
    await broker.publish({ topics: ["b"], data: "2" });
    await broker.publish({ data: "3" });
    await broker.publish({ topics: ["a/b"], data: "4" });
    expect(a.got).toEqual(["1@a"]);
    expect(b.got).toEqual(["2@b"]);
    expect(fallback.got).toEqual(["3@events"]);
  });

  test("delivers every topic under a prefix to a/*, at any depth, but not a itself", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const under = collector();
    await broker.subscribe(under, { topics: ["a/*"] });
    for (const topic of ["a", "a/x", "a/x/y", "ab", "ab/x", "b/a/x"]) await broker.publish({ topics: [topic], data: topic });
    expect(under.got).toEqual(["a/x@a/x", "a/x/y@a/x/y"]);
  });

  test("delivers every topic to *, the default topic included", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const all = collector();
    await broker.subscribe(all, { topics: ["*"] });
    for (const topic of ["a", "a/x", "events", "z/z/z"]) await broker.publish({ topics: [topic], data: topic });
    await broker.publish({ data: "default" });
    expect(all.got).toEqual(["a@a", "a/x@a/x", "events@events", "z/z/z@z/z/z", "default@events"]);
  });

  test("replays only the events of the subscribed topics", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    for (const topic of ["a", "b", "a/x", "a", "c"]) await broker.publish({ topics: [topic], data: topic });
    const a = collector();
    await broker.subscribe(a, { topics: ["a"], lastEventId: broker.origin });
    const under = collector();
    await broker.subscribe(under, { topics: ["a/*", "c"], lastEventId: broker.origin });
    expect(a.got).toEqual(["a@a", "a@a"]);
    expect(under.got).toEqual(["a/x@a/x", "c@c"]);
  });
});

describe("MemoryBroker events of several topics", () => {
  test("delivers an event published to a and b once to a subscriber of both, through the first topic it matches", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const both = collector();
    const reversed = collector();
    const onlyB = collector();
    const pattern = collector();
    await broker.subscribe(both, { topics: ["a", "b"] });
    await broker.subscribe(reversed, { topics: ["b", "a"] });
    await broker.subscribe(onlyB, { topics: ["b"] });
    await broker.subscribe(pattern, { topics: ["*", "b", "a"] });
    const stored = await broker.publish({ topics: ["a", "b"], data: "x" });
    expect(stored.topics).toEqual(["a", "b"]);
    expect(both.got).toEqual(["x@a"]);
    expect(reversed.got).toEqual(["x@a"]);
    expect(onlyB.got).toEqual(["x@b"]);
    expect(pattern.got).toEqual(["x@a"]);
  });

  test("replays an event of several topics once, through the first topic the subscription matches", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    await broker.publish({ topics: ["c", "b", "a"], data: "x" });
    await broker.publish({ topics: ["b", "a"], data: "y" });
    const both = collector();
    await broker.subscribe(both, { topics: ["a", "b"], lastEventId: broker.origin });
    expect(both.got).toEqual(["x@b", "y@b"]);
    const prefix = collector();
    await broker.subscribe(prefix, { topics: ["*"], lastEventId: broker.origin });
    expect(prefix.got).toEqual(["x@c", "y@b"]);
  });

  test("delivers an event of several topics once even when a handler publishes another one meanwhile", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const both = collector();
    const onlyB = collector();
    await broker.subscribe(both, { topics: ["a", "b"] });
    let published = false;
    await broker.subscribe(
      {
        onEvent: () => {
          if (published) return;
          published = true;
          broker.publishSync({ topics: ["a", "b"], data: "2" });
        },
      },
      { topics: ["a"] },
    );
    await broker.subscribe(onlyB, { topics: ["b"] });
    await broker.publish({ topics: ["a", "b"], data: "1" });
    expect(both.got.filter((entry) => entry.startsWith("1@"))).toEqual(["1@a"]);
    expect(both.got.filter((entry) => entry.startsWith("2@"))).toEqual(["2@a"]);
    expect([...onlyB.got].sort()).toEqual(["1@b", "2@b"]);
  });

  test("stops delivering an event of several topics to a subscriber a handler unsubscribed meanwhile", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const later = collector();
    let subscription: { unsubscribe(): void } | undefined;
    await broker.subscribe({ onEvent: () => subscription?.unsubscribe() }, { topics: ["a"] });
    subscription = await broker.subscribe(later, { topics: ["b"] });
    await broker.publish({ topics: ["a", "b"], data: "1" });
    expect(later.got).toEqual([]);
  });

  test("gives one id for all topics, strictly increasing across topics", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const ids = [];
    for (const topics of [["a"], ["b"], ["a", "b"], ["c"]]) ids.push((await broker.publish({ topics, data: "x" })).id);
    expect(ids).toEqual([id(1), id(2), id(3), id(4)]);
  });

  test("ignores duplicate topics in a publish", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const a = collector();
    await broker.subscribe(a, { topics: ["a"] });
    const stored = await broker.publish({ topics: ["a", "a"], data: "x" });
    expect(stored.topics).toEqual(["a"]);
    expect(a.got).toEqual(["x@a"]);
    expect(broker.historyLength).toBe(1);
  });
});

describe("MemoryBroker idempotent publish with topics", () => {
  test("stores and delivers an event once for one key, and answers a retry with the first event", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const a = collector();
    await broker.subscribe(a, { topics: ["a", "b"] });
    const first = await broker.publish({ topics: ["a", "b"], data: "x", idempotencyKey: "k" });
    const again = await broker.publish({ topics: ["a", "b"], data: "x", idempotencyKey: "k" });
    expect(again).toBe(first);
    expect(again.topics).toEqual(["a", "b"]);
    expect(a.got).toEqual(["x@a"]);
    expect(broker.historyLength).toBe(2);
    expect((await broker.publish({ topics: ["a"], data: "y" })).id).toBe(id(2));
  });

  test("answers a retry with the first event's id once its first topic no longer holds it", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH, historySize: 1 });
    const first = await broker.publish({ topics: ["a"], data: "x", idempotencyKey: "k" });
    await broker.publish({ topics: ["a"], data: "y" });
    const again = await broker.publish({ topics: ["a"], data: "x", idempotencyKey: "k" });
    expect(again.id).toBe(first.id);
    expect(again.topics).toEqual(["a"]);
    expect(broker.historyLength).toBe(1);
  });
});

describe("MemoryBroker topic errors", () => {
  test("rejects a publish to a pattern or a bad topic with INVALID_TOPIC and uses up no id", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const all = collector();
    await broker.subscribe(all, { topics: ["*"] });
    for (const topics of [["a/*"], ["*"], ["a", "b/*"], [], ["a//b"], Array.from({ length: 9 }, (_, index) => `t${index}`)]) {
      expect(await rejectionCode(broker.publish({ topics, data: "x" }))).toBe("INVALID_TOPIC");
      expect(() => broker.publishSync({ topics, data: "x" })).toThrow(SseError);
    }
    expect(all.got).toEqual([]);
    expect(broker.historyLength).toBe(0);
    expect((await broker.publish({ topics: ["a"], data: "x" })).id).toBe(id(1));
  });

  test("rejects a subscription with a bad pattern or no topic with INVALID_TOPIC_PATTERN and registers nothing", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    for (const topics of [["a/*/b"], ["ok", "a*"], [], [""]]) {
      const handlers = collector();
      let opened = 0;
      expect(await rejectionCode(broker.subscribe({ ...handlers, onOpen: () => (opened += 1) }, { topics }))).toBe("INVALID_TOPIC_PATTERN");
      expect(opened).toBe(0);
    }
    expect(broker.subscriberCount).toBe(0);
  });
});

describe("MemoryBroker topic counts", () => {
  test("reports the retained topics and the topics evicted so far", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH, maxRetainedTopics: 3 });
    expect([broker.retainedTopics, broker.topicEvictions]).toEqual([0, 0]);
    for (const topic of ["a", "b", "a", "c"]) await broker.publish({ topics: [topic], data: "x" });
    expect([broker.retainedTopics, broker.topicEvictions]).toEqual([3, 0]);
    await broker.publish({ topics: ["d", "e"], data: "x" });
    expect([broker.retainedTopics, broker.topicEvictions]).toEqual([3, 2]);
    expect(broker.health().detail).toContain("over 3 topics");
  });
});

describe("MemoryBroker publish cost", () => {
  test("calls only the subscriber of the topic published to, with 10,000 subscribers following other topics", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    let othersCalled = 0;
    const other: SubscriberHandlers = { onEvent: () => (othersCalled += 1) };
    for (let index = 0; index < 10_000; index++) {
      const topics = index % 100 === 0 ? [`other/${index}/*`, "elsewhere/*"] : [`other/${index}`];
      await broker.subscribe({ ...other }, { topics });
    }
    const target = collector();
    await broker.subscribe(target, { topics: ["orders/42"] });
    expect(broker.subscriberCount).toBe(10_001);
    for (let round = 0; round < 100; round++) await broker.publish({ topics: ["orders/42"], data: `${round}` });
    expect(target.got).toHaveLength(100);
    expect(othersCalled).toBe(0);
    await broker.publish({ topics: ["other/7"], data: "x" });
    expect(othersCalled).toBe(1);
  });
});
