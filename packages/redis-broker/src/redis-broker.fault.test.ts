import { describe, expect, test } from "vitest";
import { createRecorder, REDIS_REQUIRED, redisCommand, waitFor } from "../test/support/redis.ts";
import { type PrivateRedis, REDIS_SERVER_AVAILABLE, sparePort, withPrivateRedis } from "../test/support/redis-server.ts";
import { RedisBroker } from "./redis-broker.ts";

const SKIP = !REDIS_SERVER_AVAILABLE && !REDIS_REQUIRED;
const FAST = { blockMs: 500, commandTimeoutMs: 1000, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } } as const;

/** The `data` of every entry of the fault tests' stream, oldest first. */
async function heldData(url: string): Promise<string[]> {
  const entries = (await redisCommand(url, "XRANGE", "fault:events:t:events", "-", "+")) as [string, string[]][];
  return entries.map(([, fields]) => fields[fields.indexOf("data") + 1] as string);
}

/** Runs `body` with a broker on a private Redis (stream `fault:events`), always closing the broker. */
function withFaultBroker(body: (broker: RedisBroker, redis: PrivateRedis) => Promise<void>): Promise<void> {
  return withPrivateRedis(async (redis) => {
    const broker = new RedisBroker({ url: redis.url, streamKey: "fault:events", ...FAST });
    try {
      await body(broker, redis);
    } finally {
      await broker.close();
    }
  });
}

/** Runs `body` while Redis is frozen (SIGSTOP), and always thaws it. */
async function whileFrozen(redis: PrivateRedis, body: () => Promise<void>): Promise<void> {
  redis.freeze();
  try {
    await body();
  } finally {
    redis.thaw();
  }
}

describe("RedisBroker when Redis fails", () => {
  test("rejects a publish with BROKER_UNAVAILABLE, fast, when nothing listens at the URL", async () => {
    const port = await sparePort();
    const errors: unknown[] = [];
    const broker = new RedisBroker({ url: `redis://127.0.0.1:${port}`, ...FAST, onError: (error) => errors.push(error) });
    try {
      const started = Date.now();
      await expect(broker.publish({ data: "x" })).rejects.toMatchObject({ name: "SseError", code: "BROKER_UNAVAILABLE" });
      await expect(broker.subscribe(createRecorder().handlers)).rejects.toMatchObject({ code: "BROKER_UNAVAILABLE" });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(broker.health()).toMatchObject({ ok: false });
      expect(broker.health().detail).toMatch(/^redis: /);
      expect(broker.subscriberCount).toBe(0);
    } finally {
      await broker.close();
    }
  });

  test.skipIf(SKIP)("keeps subscriptions open through a Redis restart and delivers new events after it", async () => {
    await withFaultBroker(async (broker, redis) => {
      const recorder = createRecorder();
      await broker.subscribe(recorder.handlers);
      const before = await broker.publish({ data: "before" });
      await waitFor("the first event", () => recorder.events.length === 1);

      await redis.kill();
      await waitFor("health to report the outage", () => !broker.health().ok);
      const started = Date.now();
      await expect(broker.publish({ data: "lost" })).rejects.toMatchObject({ code: "BROKER_UNAVAILABLE" });
      expect(Date.now() - started).toBeLessThan(1500);

      await redis.restart();
      await waitFor("health to recover", () => broker.health().ok);
      const after = await broker.publish({ data: "after" });
      await waitFor("the event published after the restart", () => recorder.events.length === 2);
      expect(recorder.ids()).toEqual([before.id, after.id]);
      expect(recorder.closes).toBe(0);

      // The restarted Redis has no history: resuming from an old id is a gap, then what it holds.
      const resumed = createRecorder();
      const subscription = await broker.subscribe(resumed.handlers, { lastEventId: before.id });
      expect(resumed.gaps).toEqual([{ requestedId: before.id, oldestId: after.id, reason: "other-epoch", topics: ["events"] }]);
      expect(subscription.cursor).toBe("0-0");
      expect(resumed.ids()).toEqual([after.id]);
    });
  });

  test.skipIf(SKIP)("resumes its reader after the last delivered id when its connection drops", async () => {
    await withPrivateRedis(async (redis) => {
      const broker = new RedisBroker({ url: redis.url, streamKey: "fault:events", ...FAST });
      const other = new RedisBroker({ url: redis.url, streamKey: "fault:events", ...FAST });
      try {
        const recorder = createRecorder();
        await broker.subscribe(recorder.handlers);
        const first = await other.publish({ data: "1" });
        await waitFor("the first event", () => recorder.events.length === 1);
        // Only the subscribing node has a reader connection; drop it, then store a burst at once.
        const clients = String(await redisCommand(redis.url, "CLIENT", "LIST"));
        const readers = [...clients.matchAll(/^id=(\d+) .*name=events-reader /gm)].map((match) => match[1] as string);
        expect(readers.length).toBe(1);
        await redisCommand(redis.url, "CLIENT", "KILL", "ID", readers[0] as string);
        const burst: string[] = [];
        for (let index = 0; index < 5; index += 1) burst.push((await other.publish({ data: `b${index}` })).id);
        await waitFor("the burst", () => recorder.events.length === 6);
        expect(recorder.ids()).toEqual([first.id, ...burst]);
        expect(recorder.closes).toBe(0);
      } finally {
        await Promise.all([broker.close(), other.close()]);
      }
    });
  });

  test.skipIf(SKIP)("ends its subscriptions when entries it had not read were trimmed while its reader was away", async () => {
    await withPrivateRedis(async (redis) => {
      const errors: unknown[] = [];
      // A slow reconnect keeps this node's reader away while the other node overruns the history.
      const slow = { ...FAST, reconnect: { initialDelayMs: 2000, maxDelayMs: 2000 } };
      const broker = new RedisBroker({ url: redis.url, streamKey: "fault:events", historySize: 10, liveStreamSize: 10, ...slow, onError: (error) => errors.push(error) });
      const other = new RedisBroker({ url: redis.url, streamKey: "fault:events", historySize: 10, liveStreamSize: 10, ...FAST });
      try {
        const recorder = createRecorder();
        await broker.subscribe(recorder.handlers);
        await other.publish({ data: "seen" });
        await waitFor("the first event", () => recorder.events.length === 1);
        const clients = String(await redisCommand(redis.url, "CLIENT", "LIST"));
        const reader = /^id=(\d+) .*name=events-reader /m.exec(clients)?.[1] as string;
        await redisCommand(redis.url, "CLIENT", "KILL", "ID", reader);
        await Promise.all(Array.from({ length: 300 }, (_, index) => other.publish({ data: `m${index}` })));
        await waitFor("the subscription to be ended", () => recorder.closes === 1);
        expect(broker.subscriberCount).toBe(0);
        expect(errors.some((error) => String(error).includes("were trimmed"))).toBe(true);
      } finally {
        await Promise.all([broker.close(), other.close()]);
      }
    });
  });

  test.skipIf(SKIP)("keeps delivering when Redis comes back empty with ids below the ones delivered", async () => {
    await withFaultBroker(async (broker, redis) => {
      const recorder = createRecorder();
      await broker.subscribe(recorder.handlers);
      // An entry from "the future" (year 2128): whatever Redis generates next sorts below it.
      await redisCommand(redis.url, "XADD", "fault:events:live", "5000000000000-0", "event", "message", "data", "future");
      await waitFor("the future event", () => recorder.events.length === 1);
      await redis.kill();
      await waitFor("health to report the outage", () => !broker.health().ok);
      await redis.restart();
      await waitFor("health to recover", () => broker.health().ok);
      const after = await broker.publish({ data: "after" });
      await waitFor("the event published after the restart", () => recorder.events.length === 2);
      expect(recorder.ids()).toEqual(["5000000000000-0", after.id]);
    });
  });
  test.skipIf(SKIP)("rejects a publish a frozen Redis does not answer in time with PUBLISH_UNCONFIRMED, as it may be stored later", async () => {
    await withFaultBroker(async (broker, redis) => {
      await broker.publish({ data: "before" });
      await whileFrozen(redis, async () => {
        await expect(broker.publish({ data: "frozen" })).rejects.toMatchObject({ name: "SseError", code: "PUBLISH_UNCONFIRMED" });
      });
      // Redis runs the command it had buffered: the event the publish could not confirm is stored.
      expect(await heldData(redis.url)).toEqual(["before", "frozen"]);
    });
  });

  test.skipIf(SKIP)("stores an event once when a publish that was not confirmed is retried with its idempotency key", async () => {
    await withFaultBroker(async (broker, redis) => {
      await broker.publish({ data: "before" });
      await whileFrozen(redis, async () => {
        await expect(broker.publish({ data: "once", idempotencyKey: "k1" })).rejects.toMatchObject({ code: "PUBLISH_UNCONFIRMED" });
        // The silent socket times out too: the broker drops it and reconnects once Redis answers again.
        await waitFor("the broker to drop the silent connection", () => !broker.health().ok);
      });
      await waitFor("health to recover", () => broker.health().ok);
      const retried = await broker.publish({ data: "once", idempotencyKey: "k1" });
      expect(await heldData(redis.url)).toEqual(["before", "once"]);
      const held = (await redisCommand(redis.url, "XRANGE", "fault:events:t:events", "-", "+")) as [string, string[]][];
      expect(retried).toMatchObject({ id: held[1]?.[0], data: "once" });
    });
  });
});
