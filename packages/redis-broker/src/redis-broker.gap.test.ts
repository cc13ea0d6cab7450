import { describe, expect, test } from "vitest";
import { createRecorder, REDIS_URL, redisCommand, SKIP_REDIS, topicStream, withBroker } from "../test/support/redis.ts";
import type { RedisBroker } from "./redis-broker.ts";

async function publishMany(broker: RedisBroker, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) ids.push((await broker.publish({ data: `m${index}` })).id);
  return ids;
}

async function heldIds(key: string): Promise<string[]> {
  const entries = (await redisCommand(REDIS_URL, "XRANGE", topicStream(key), "-", "+")) as [string, string[]][];
  return entries.map(([id]) => id);
}

describe("RedisBroker gap notices (real Redis)", () => {
  test.skipIf(SKIP_REDIS)("announces a too-old gap for an id trimmed away, then replays everything held", async () => {
    await withBroker(async (broker, key) => {
      const ids = await publishMany(broker, 250);
      const held = await heldIds(key);
      expect(held.length).toBeLessThan(250);
      const recorder = createRecorder();
      const subscription = await broker.subscribe(recorder.handlers, { lastEventId: ids[0] as string });
      expect(recorder.gaps).toEqual([{ requestedId: ids[0], oldestId: held[0], reason: "too-old", topics: ["events"] }]);
      expect(subscription.gap).toEqual(recorder.gaps[0]);
      // The topics design: after a too-old gap the cursor stays the requested id (the replay is everything after it).
      expect(subscription.cursor).toBe(ids[0]);
      expect(recorder.ids()).toEqual(held);
      expect(subscription.replayed).toBe(held.length);
    }, 10);
  });

  test.skipIf(SKIP_REDIS)("replays without a gap from an id still held in a trimmed stream", async () => {
    await withBroker(async (broker, key) => {
      await publishMany(broker, 250);
      const held = await heldIds(key);
      const recorder = createRecorder();
      const subscription = await broker.subscribe(recorder.handlers, { lastEventId: held[0] as string });
      expect(subscription.gap).toBeUndefined();
      expect(recorder.ids()).toEqual(held.slice(1));
    }, 10);
  });

  test.skipIf(SKIP_REDIS)("announces a too-old gap for the origin id once the stream was trimmed", async () => {
    await withBroker(async (broker) => {
      await publishMany(broker, 250);
      const subscription = await broker.subscribe(createRecorder().handlers, { lastEventId: "0-0" });
      expect(subscription.gap?.reason).toBe("too-old");
    }, 10);
  });

  test.skipIf(SKIP_REDIS)("replays the whole untrimmed history after the origin id, without a gap", async () => {
    await withBroker(async (broker) => {
      const ids = await publishMany(broker, 3);
      const recorder = createRecorder();
      const subscription = await broker.subscribe(recorder.handlers, { lastEventId: "0-0" });
      expect(subscription).toMatchObject({ gap: undefined, cursor: "0-0", replayed: 3 });
      expect(recorder.ids()).toEqual(ids);
    });
  });

  for (const malformed of ["abc", "12-x", "1-2-3", "-1-0", "01-0", "18446744073709551616-0", " 1-0"]) {
    test.skipIf(SKIP_REDIS)(`announces a malformed gap for ${JSON.stringify(malformed)} and replays everything held`, async () => {
      await withBroker(async (broker) => {
        const ids = await publishMany(broker, 2);
        const recorder = createRecorder();
        const subscription = await broker.subscribe(recorder.handlers, { lastEventId: malformed });
        expect(recorder.gaps).toEqual([{ requestedId: malformed, oldestId: ids[0], reason: "malformed", topics: ["events"] }]);
        expect(subscription.cursor).toBe("0-0");
        expect(recorder.ids()).toEqual(ids);
      });
    });
  }

  test.skipIf(SKIP_REDIS)("announces an unknown gap for an id newer than anything published", async () => {
    await withBroker(async (broker) => {
      const ids = await publishMany(broker, 2);
      const recorder = createRecorder();
      await broker.subscribe(recorder.handlers, { lastEventId: "99999999999999-0" });
      expect(recorder.gaps).toEqual([{ requestedId: "99999999999999-0", oldestId: ids[0], reason: "unknown", topics: ["events"] }]);
      expect(recorder.ids()).toEqual(ids);
    });
  });

  test.skipIf(SKIP_REDIS)("announces an other-epoch gap for an id of a stream that no longer exists", async () => {
    await withBroker(async (broker) => {
      const recorder = createRecorder();
      const subscription = await broker.subscribe(recorder.handlers, { lastEventId: "1732500000000-0" });
      expect(recorder.gaps).toEqual([{ requestedId: "1732500000000-0", oldestId: undefined, reason: "other-epoch", topics: ["events"] }]);
      expect(subscription).toMatchObject({ cursor: "0-0", replayed: 0 });
    });
  });

  for (const foreign of ["500-0", "2000-0"]) {
    test.skipIf(SKIP_REDIS)(`announces an other-epoch gap for ${foreign}, never part of an untrimmed history`, async () => {
      await withBroker(async (broker, key) => {
        await redisCommand(REDIS_URL, "XADD", topicStream(key), "1000-0", "event", "message", "data", "a");
        await redisCommand(REDIS_URL, "XADD", topicStream(key), "3000-0", "event", "message", "data", "b");
        const recorder = createRecorder();
        await broker.subscribe(recorder.handlers, { lastEventId: foreign });
        expect(recorder.gaps).toEqual([{ requestedId: foreign, oldestId: "1000-0", reason: "other-epoch", topics: ["events"] }]);
        expect(recorder.ids()).toEqual(["1000-0", "3000-0"]);
      });
    });
  }

  test.skipIf(SKIP_REDIS)("treats an empty Last-Event-ID as none", async () => {
    await withBroker(async (broker) => {
      const newest = await broker.publish({ data: "a" });
      const subscription = await broker.subscribe(createRecorder().handlers, { lastEventId: "" });
      expect(subscription).toMatchObject({ cursor: newest.id, replayed: 0, gap: undefined });
    });
  });
});
