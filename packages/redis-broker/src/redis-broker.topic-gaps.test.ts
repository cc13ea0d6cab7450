import { describe, expect, test } from "vitest";
import { createRecorder, REDIS_URL, redisCommand, SKIP_REDIS, topicStream, waitForAsync, withBroker } from "../test/support/redis.ts";
import type { RedisBroker } from "./redis-broker.ts";

async function publishTo(broker: RedisBroker, topic: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) ids.push((await broker.publish({ topics: [topic], data: `${topic}${index}` })).id);
  return ids;
}

/** Redis's clock in ms. */
async function redisNow(): Promise<number> {
  const [seconds, micros] = (await redisCommand(REDIS_URL, "TIME")) as [string, string];
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

function msOf(id: string): number {
  return Number(id.split("-")[0]);
}

describe("RedisBroker per-topic gaps (real Redis)", () => {
  test.skipIf(SKIP_REDIS)("names only the trimmed topic in the gap and replays every held event of both, in order", async () => {
    await withBroker(async (broker, key) => {
      const [start] = await publishTo(broker, "quiet", 1);
      const busy = await publishTo(broker, "busy", 250);
      const quiet = await publishTo(broker, "quiet", 2);
      const held = ((await redisCommand(REDIS_URL, "XRANGE", topicStream(key, "busy"), "-", "+")) as [string, string[]][]).map(([id]) => id);
      expect(held.length).toBeLessThan(busy.length);
      const recorder = createRecorder();
      const subscription = await broker.subscribe(recorder.handlers, { topics: ["quiet", "busy"], lastEventId: start as string });
      expect(subscription.gap).toEqual({ requestedId: start, oldestId: held[0], reason: "too-old", topics: ["busy"] });
      expect(recorder.openings).toEqual([{ cursor: start, replayed: held.length + 2, gap: subscription.gap }]);
      expect(recorder.ids()).toEqual([...held, ...quiet]);
      // The quiet topic alone covers the id: no gap.
      const alone = await broker.subscribe(createRecorder().handlers, { topics: ["quiet"], lastEventId: start as string });
      expect(alone).toMatchObject({ gap: undefined, replayed: 2 });
    }, 10);
  });

  test.skipIf(SKIP_REDIS)("names an evicted topic, and a pattern that may have held it, in the gap", async () => {
    await withBroker(
      async (broker) => {
        const [seen, lost] = await publishTo(broker, "x/old", 2);
        const kept = await publishTo(broker, "kept", 1);
        // Two more topics than the bound: "x/old", the least recently published, is evicted.
        await publishTo(broker, "x/new", 1);
        await publishTo(broker, "other", 1);
        const recorder = createRecorder();
        const subscription = await broker.subscribe(recorder.handlers, { topics: ["x/old", "kept", "y/*"], lastEventId: seen as string });
        expect(subscription.gap).toEqual({ requestedId: seen, oldestId: undefined, reason: "too-old", topics: ["x/old", "y/*"] });
        expect(recorder.ids()).toEqual(kept);
        // The newest id it held is known: resuming from it is no gap.
        const fromLost = await broker.subscribe(createRecorder().handlers, { topics: ["x/old", "kept"], lastEventId: lost as string });
        expect(fromLost.gap).toBeUndefined();
        // A topic published again after its eviction starts with the knowledge of what it may have lost.
        const again = await publishTo(broker, "x/old", 1);
        const resumed = createRecorder();
        const afterAgain = await broker.subscribe(resumed.handlers, { topics: ["x/old"], lastEventId: seen as string });
        expect(afterAgain.gap).toEqual({ requestedId: seen, oldestId: again[0], reason: "too-old", topics: ["x/old"] });
        expect(resumed.ids()).toEqual(again);
      },
      undefined,
      { maxRetainedTopics: 3 },
    );
  });

  test.skipIf(SKIP_REDIS)("keeps at most maxRetainedTopics topic streams, evicting the least recently published", async () => {
    await withBroker(
      async (broker, key) => {
        for (let index = 0; index < 40; index += 1) await broker.publish({ topics: [`t/${index}`], data: "x" });
        expect(await redisCommand(REDIS_URL, "ZRANGE", `${key}:topics`, 0, -1)).toEqual(["t/35", "t/36", "t/37", "t/38", "t/39"]);
        expect(await redisCommand(REDIS_URL, "ZCARD", `${key}:topic-names`)).toBe(5);
        expect(await redisCommand(REDIS_URL, "EXISTS", topicStream(key, "t/34"), topicStream(key, "t/35"))).toBe(1);
      },
      undefined,
      { maxRetainedTopics: 5 },
    );
  });

  test.skipIf(SKIP_REDIS)("gives a gap for a topic whose history expired, trims expired events and sets the key's expiry", async () => {
    const ttl = 300;
    await withBroker(
      async (broker, key) => {
        const [start] = await publishTo(broker, "marker", 1);
        const [stale] = await publishTo(broker, "stale", 1);
        expect(Number(await redisCommand(REDIS_URL, "PTTL", topicStream(key, "stale")))).toBeGreaterThan(0);
        await waitForAsync("the stale topic to expire", async () => (await redisCommand(REDIS_URL, "EXISTS", topicStream(key, "stale"))) === 0);
        const fresh = await publishTo(broker, "fresh", 1);
        const recorder = createRecorder();
        const subscription = await broker.subscribe(recorder.handlers, { topics: ["fresh", "stale"], lastEventId: start as string });
        expect(subscription.gap).toEqual({ requestedId: start, oldestId: undefined, reason: "too-old", topics: ["stale"] });
        expect(recorder.ids()).toEqual(fresh);
        // A publish trims its topic's events past the age bound, and sweeps expired topics from the topic sets.
        const [marker] = await publishTo(broker, "marker", 1);
        expect(await redisCommand(REDIS_URL, "XLEN", topicStream(key, "marker"))).toBe(1);
        expect(await redisCommand(REDIS_URL, "ZRANGE", `${key}:topics`, 0, -1)).toEqual(["fresh", "marker"]);
        expect(await redisCommand(REDIS_URL, "HGET", `${key}:ids`, "evicted-through")).toBe(stale);
        const swept = await broker.subscribe(createRecorder().handlers, { topics: ["stale", "marker"], lastEventId: start as string });
        // Both expired and were swept at fresh's publish; the broker keeps only the newest id forgotten topics
        // held, so marker, published again since, is named too: it may have lost an event before that id.
        expect(swept.gap).toEqual({ requestedId: start, oldestId: marker, reason: "too-old", topics: ["stale", "marker"] });
        // An id newer than the age bound needs nothing that expired: no gap.
        const recent = await publishTo(broker, "stale", 1);
        const fromRecent = await broker.subscribe(createRecorder().handlers, { topics: ["stale"], lastEventId: recent[0] as string });
        expect(fromRecent.gap).toBeUndefined();
      },
      undefined,
      { historyTtlMs: ttl },
    );
  });

  test.skipIf(SKIP_REDIS)("knows exactly which events the age bound trimmed: no gap for an id newer than all of them", async () => {
    const ttl = 1000;
    await withBroker(
      async (broker) => {
        const [first] = await publishTo(broker, "q", 1);
        const [start] = await publishTo(broker, "other", 1);
        await waitForAsync("half the age bound", async () => (await redisNow()) > msOf(first as string) + ttl / 2);
        const second = await publishTo(broker, "q", 1);
        await waitForAsync("the first event to pass the age bound", async () => (await redisNow()) > msOf(first as string) + ttl);
        const third = await publishTo(broker, "q", 1);
        const recorder = createRecorder();
        const subscription = await broker.subscribe(recorder.handlers, { topics: ["q"], lastEventId: start as string });
        expect(subscription.gap).toBeUndefined();
        expect(recorder.ids()).toEqual([...second, ...third]);
        // From before the trimmed event: a gap.
        const before = await broker.subscribe(createRecorder().handlers, { topics: ["q"], lastEventId: "0-0" });
        expect(before.gap).toMatchObject({ reason: "too-old", topics: ["q"], oldestId: second[0] });
      },
      undefined,
      { historyTtlMs: ttl },
    );
  });

  test.skipIf(SKIP_REDIS)("does not replay an event past the age bound that its topic still holds", async () => {
    await withBroker(
      async (broker) => {
        const [start] = await publishTo(broker, "other", 1);
        const [old] = await publishTo(broker, "slow", 1);
        await waitForAsync("the event to pass the age bound", async () => (await redisNow()) > msOf(old as string) + 200);
        const recorder = createRecorder();
        const subscription = await broker.subscribe(recorder.handlers, { topics: ["slow"], lastEventId: start as string });
        expect(subscription.gap).toMatchObject({ reason: "too-old", topics: ["slow"] });
        expect(recorder.ids()).toEqual([]);
      },
      undefined,
      { historyTtlMs: 200 },
    );
  });
});
