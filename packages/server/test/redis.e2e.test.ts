import { RedisBroker } from "@events/redis-broker";
import { describe, expect, test } from "vitest";
import { createBroker } from "../src/create-broker.ts";
import { openStream, trigger, withServer } from "./support/server.ts";
import { REDIS_URL, skipWithoutRedis } from "./support/redis.ts";


const redisMissing = await skipWithoutRedis("the Redis server tests");

describe("--broker redis", () => {
  test.skipIf(redisMissing)("builds a RedisBroker on the stream key the flags name", async () => {
    const redisStreamKey = `events:test:server:key:${Date.now()}:${Math.random().toString(36).slice(2)}`;
    const broker = await createBroker({ broker: "redis", historySize: 10, redisUrl: REDIS_URL, redisStreamKey });
    const reader = new RedisBroker({ url: REDIS_URL, streamKey: redisStreamKey, historySize: 10 });
    try {
      expect(broker).toBeInstanceOf(RedisBroker);
      const stored = await broker.publish({ data: "on-the-named-key" });
      const replayed: string[] = [];
      await reader.subscribe({ onEvent: (event) => replayed.push(event.id) }, { lastEventId: "0-0" });
      expect(replayed).toEqual([stored.id]);
    } finally {
      await broker.close();
      await reader.close();
    }
  });

  test.skipIf(redisMissing)("lets a client resume on another node from its Last-Event-ID", async () => {
    const streamKey = `events:test:server:${Date.now()}:${Math.random().toString(36).slice(2)}`;
    const brokerA = new RedisBroker({ url: REDIS_URL, streamKey, historySize: 100 });
    const brokerB = new RedisBroker({ url: REDIS_URL, streamKey, historySize: 100 });
    try {
      await withServer({}, async (nodeA) => {
        await withServer({}, async (nodeB) => {
          const first = await openStream(nodeA);
          await first.waitForEvents("connected", 1);
          await trigger(nodeB, "seen");
          const [seen] = await first.waitForEvents("message", 1);
          first.close();
          for (let i = 0; i < 5; i++) expect((await trigger(nodeA, `missed-${i}`)).status).toBe(200);
          const resumed = await openStream(nodeB, { lastEventId: seen?.lastEventId ?? "" });
          try {
            await resumed.waitForEvents("message", 5);
            await trigger(nodeA, "live");
            await resumed.waitForEvents("message", 6);
            expect(resumed.messages()).toEqual(["missed-0", "missed-1", "missed-2", "missed-3", "missed-4", "live"]);
          } finally {
            resumed.close();
          }
        }, { broker: brokerB });
      }, { broker: brokerA });
    } finally {
      await Promise.all([brokerA.close(), brokerB.close()]);
    }
  }, 30_000);
});
