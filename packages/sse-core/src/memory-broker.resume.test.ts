import { describe, expect, test } from "vitest";
import type { SubscriberHandlers, SubscriptionOpening } from "./broker.ts";
import { formatEventId } from "./event-id.ts";
import { MemoryBroker } from "./memory-broker.ts";
import { createRandom } from "./test-support/feed.ts";
import { matchesTopic, parseTopicPattern } from "./topic.ts";

const EPOCH = 1_764_000_000_000;
const id = (sequence: number): string => formatEventId(EPOCH, sequence);

/** A subscriber that records its opening and every event as `id@topic`, in one order. */
function recorder(): SubscriberHandlers & { log: string[]; openings: SubscriptionOpening[] } {
  const log: string[] = [];
  const openings: SubscriptionOpening[] = [];
  return {
    log,
    openings,
    onOpen: (opening) => {
      openings.push(opening);
      log.push("open");
    },
    onEvent: (event, topic) => log.push(`${event.id}@${topic}`),
  };
}

/** A manual clock for history age. */
function manualClock(): { now: number; clock: () => number } {
  const state = { now: 0, clock: (): number => state.now };
  return state;
}

describe("MemoryBroker multi-topic resume", () => {
  test("replays after 1,000 events across 10 topics exactly the missed events of the subscribed topics, in id order, once", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const random = createRandom(1000);
    const published: { sequence: number; topics: string[] }[] = [];
    for (let sequence = 1; sequence <= 1000; sequence++) {
      // Mostly one topic, sometimes two or three (one event, one id, several histories).
      const count = random() < 0.8 ? 1 : 2 + Math.floor(random() * 2);
      const topics = Array.from({ length: count }, () => `t/${Math.floor(random() * 10)}`);
      const stored = await broker.publish({ topics, data: `${sequence}` });
      published.push({ sequence, topics: [...stored.topics] });
    }
    const subscriptions = [["t/1", "t/4"], ["t/*"], ["t/2", "t/2"], ["*"], ["t/9", "t/0", "t/5"], ["t/3", "t/*"], ["events"]];
    for (const topics of subscriptions) {
      const patterns = topics.map(parseTopicPattern);
      for (const cursor of [0, 1, 137, 500, 999, 1000]) {
        const expected = published.flatMap(({ sequence, topics: eventTopics }) => {
          if (sequence <= cursor) return [];
          const through = eventTopics.find((topic) => patterns.some((pattern) => matchesTopic(pattern, topic)));
          return through === undefined ? [] : [`${id(sequence)}@${through}`];
        });
        const subscriber = recorder();
        const subscription = await broker.subscribe(subscriber, { topics, lastEventId: id(cursor) });
        expect({ topics, cursor, log: subscriber.log }).toEqual({ topics, cursor, log: ["open", ...expected] });
        expect(subscription.gap).toBeUndefined();
        expect(subscription.cursor).toBe(id(cursor));
        expect(subscription.replayed).toBe(expected.length);
        subscription.unsubscribe();
      }
    }
  });

  test("continues with live events after the replay, none twice", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    await broker.publish({ topics: ["a"], data: "1" });
    await broker.publish({ topics: ["b", "a"], data: "2" });
    const subscriber = recorder();
    await broker.subscribe(subscriber, { topics: ["a", "b"], lastEventId: id(1) });
    await broker.publish({ topics: ["c"], data: "3" });
    await broker.publish({ topics: ["a", "b"], data: "4" });
    expect(subscriber.log).toEqual(["open", `${id(2)}@b`, `${id(4)}@a`]);
  });
});

describe("MemoryBroker onOpen", () => {
  test("is called once, before any replayed event, with the cursor, the replay count and the gap", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH, historySize: 2 });
    for (let index = 0; index < 4; index++) await broker.publish({ topics: ["a"], data: "x" });
    const fresh = recorder();
    const freshSubscription = await broker.subscribe(fresh, { topics: ["a"] });
    expect(fresh.openings).toEqual([{ cursor: id(4), replayed: 0, gap: undefined }]);
    expect(freshSubscription.cursor).toBe(id(4));
    const resumed = recorder();
    const subscription = await broker.subscribe(resumed, { topics: ["a"], lastEventId: id(3) });
    expect(resumed.log).toEqual(["open", `${id(4)}@a`]);
    expect(resumed.openings).toEqual([{ cursor: id(3), replayed: 1, gap: undefined }]);
    const gapped = recorder();
    const gappedSubscription = await broker.subscribe(gapped, { topics: ["a"], lastEventId: id(1) });
    expect(gapped.log).toEqual(["open", `${id(3)}@a`, `${id(4)}@a`]);
    const [opening] = gapped.openings;
    expect(opening).toEqual({
      cursor: gappedSubscription.cursor,
      replayed: 2,
      gap: { requestedId: id(1), oldestId: id(3), reason: "too-old", topics: ["a"] },
    });
    expect(gappedSubscription.gap).toBe(opening?.gap);
    await broker.publish({ topics: ["a"], data: "x" });
    expect([fresh.openings.length, resumed.openings.length, gapped.openings.length]).toEqual([1, 1, 1]);
  });
});

describe("MemoryBroker gaps per topic", () => {
  test("names only the trimmed topic, replays the other exactly and keeps the requested id as cursor", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH, historySize: 3 });
    await broker.publish({ topics: ["quiet"], data: "q1" }); // 1
    await broker.publish({ topics: ["busy"], data: "b" }); // 2
    await broker.publish({ topics: ["quiet"], data: "q2" }); // 3
    for (let index = 0; index < 5; index++) await broker.publish({ topics: ["busy"], data: "b" }); // 4-8
    await broker.publish({ topics: ["quiet"], data: "q3" }); // 9
    const subscriber = recorder();
    const subscription = await broker.subscribe(subscriber, { topics: ["quiet", "busy"], lastEventId: id(2) });
    expect(subscription.gap).toEqual({ requestedId: id(2), oldestId: id(6), reason: "too-old", topics: ["busy"] });
    expect(subscription.cursor).toBe(id(2));
    expect(subscriber.log).toEqual(["open", `${id(3)}@quiet`, ...[6, 7, 8].map((sequence) => `${id(sequence)}@busy`), `${id(9)}@quiet`]);
    const quietOnly = await broker.subscribe(recorder(), { topics: ["quiet"], lastEventId: id(2) });
    expect(quietOnly.gap).toBeUndefined();
  });

  test("names a pattern as written when a topic under it was trimmed", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH, historySize: 1 });
    await broker.publish({ topics: ["a/1"], data: "x" });
    await broker.publish({ topics: ["a/2"], data: "x" });
    await broker.publish({ topics: ["a/2"], data: "x" });
    const subscription = await broker.subscribe(recorder(), { topics: ["b", "a/*"], lastEventId: id(1) });
    expect(subscription.gap?.topics).toEqual(["a/*"]);
  });

  test("gives a gap for a topic evicted by maxRetainedTopics, and none for the topics still held", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH, maxRetainedTopics: 2 });
    await broker.publish({ topics: ["gone"], data: "x" }); // 1
    await broker.publish({ topics: ["kept"], data: "x" }); // 2
    await broker.publish({ topics: ["new"], data: "x" }); // 3: evicts "gone"
    expect(broker.topicEvictions).toBe(1);
    const subscriber = recorder();
    const subscription = await broker.subscribe(subscriber, { topics: ["gone", "kept"], lastEventId: broker.origin });
    expect(subscription.gap).toMatchObject({ requestedId: broker.origin, reason: "too-old", topics: ["gone"] });
    expect(subscriber.log).toEqual(["open", `${id(2)}@kept`]);
    const kept = await broker.subscribe(recorder(), { topics: ["kept", "new"], lastEventId: broker.origin });
    expect(kept.gap).toBeUndefined();
    const afterIt = await broker.subscribe(recorder(), { topics: ["gone"], lastEventId: id(1) });
    expect(afterIt.gap).toBeUndefined();
  });

  test("gives a gap for a topic whose events expired after historyTtlMs", async () => {
    const time = manualClock();
    const broker = new MemoryBroker({ epoch: EPOCH, historyTtlMs: 60_000, clock: time.clock });
    await broker.publish({ topics: ["old"], data: "x" }); // 1 at 0
    time.now = 30_000;
    await broker.publish({ topics: ["fresh"], data: "x" }); // 2 at 30 s
    time.now = 61_000;
    await broker.publish({ topics: ["fresh"], data: "x" }); // 3 at 61 s: sweeps "old"
    expect(broker.retainedTopics).toBe(1);
    const subscriber = recorder();
    const subscription = await broker.subscribe(subscriber, { topics: ["old", "fresh"], lastEventId: broker.origin });
    expect(subscription.gap).toMatchObject({ reason: "too-old", topics: ["old"] });
    expect(subscriber.log).toEqual(["open", `${id(2)}@fresh`, `${id(3)}@fresh`]);
    time.now = 91_000;
    const later = recorder();
    const laterSubscription = await broker.subscribe(later, { topics: ["fresh"], lastEventId: id(1) });
    expect(laterSubscription.gap).toEqual({ requestedId: id(1), oldestId: id(3), reason: "too-old", topics: ["fresh"] });
    expect(later.log).toEqual(["open", `${id(3)}@fresh`]);
  });

  test("names every subscribed topic as written for an id from another epoch, and replays everything they hold", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    await broker.publish({ topics: ["a/1"], data: "x" });
    await broker.publish({ topics: ["b"], data: "x" });
    await broker.publish({ topics: ["c"], data: "x" });
    const subscriber = recorder();
    const subscription = await broker.subscribe(subscriber, { topics: ["a/*", "c", "none"], lastEventId: formatEventId(EPOCH - 1, 5) });
    expect(subscription.gap).toEqual({
      requestedId: formatEventId(EPOCH - 1, 5),
      oldestId: id(1),
      reason: "other-epoch",
      topics: ["a/*", "c", "none"],
    });
    expect(subscription.cursor).toBe(broker.origin);
    expect(subscriber.log).toEqual(["open", `${id(1)}@a/1`, `${id(3)}@c`]);
  });
});
