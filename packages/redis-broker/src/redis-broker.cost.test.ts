import { describe, expect, test } from "vitest";
import { createRecorder, REDIS_REQUIRED, redisCommand, waitFor } from "../test/support/redis.ts";
import { REDIS_SERVER_AVAILABLE, withPrivateRedis } from "../test/support/redis-server.ts";
import { RedisBroker } from "./redis-broker.ts";

const SKIP = !REDIS_SERVER_AVAILABLE && !REDIS_REQUIRED;

/** Calls per command since the last `CONFIG RESETSTAT`, from `INFO commandstats` (commands run by scripts included). */
async function commandCalls(url: string): Promise<Map<string, number>> {
  const info = String(await redisCommand(url, "INFO", "commandstats"));
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1] as string, Number(match[2]));
  return calls;
}

/** Publishes `count` events spread over `topics` other topics, 100 at a time. */
async function publishElsewhere(broker: RedisBroker, count: number, topics: number): Promise<void> {
  for (let start = 0; start < count; start += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, offset) => broker.publish({ topics: [`busy/${(start + offset) % topics}`], data: "x" })));
  }
}

/** Resumes `quiet` from `lastEventId` on a private Redis and returns the commands it cost Redis. */
async function resumeCost(url: string, broker: RedisBroker, lastEventId: string): Promise<{ calls: Map<string, number>; ids: string[] }> {
  const recorder = createRecorder();
  await redisCommand(url, "CONFIG", "RESETSTAT");
  const subscription = await broker.subscribe(recorder.handlers, { topics: ["quiet"], lastEventId });
  const calls = await commandCalls(url);
  subscription.unsubscribe();
  expect(subscription.gap).toBeUndefined();
  return { calls, ids: recorder.ids() };
}

describe("RedisBroker resume cost (private Redis)", () => {
  test.skipIf(SKIP)(
    "resumes a quiet topic with a bounded number of Redis commands, however many events other topics hold",
    async () => {
      await withPrivateRedis(async (redis) => {
        const broker = new RedisBroker({ url: redis.url, streamKey: "cost", historySize: 100_000 });
        try {
          // Start the reader first, so its one-time setup is not counted.
          await broker.subscribe(createRecorder().handlers, { topics: ["nothing"] });
          await waitFor("a connection", () => broker.health().ok);
          const start = await broker.publish({ topics: ["quiet"], data: "q0" });
          const quiet = [(await broker.publish({ topics: ["quiet"], data: "q1" })).id];
          await publishElsewhere(broker, 1000, 50);
          const few = await resumeCost(redis.url, broker, start.id);
          await publishElsewhere(broker, 10_000, 500);
          quiet.push((await broker.publish({ topics: ["quiet"], data: "q2" })).id);
          const many = await resumeCost(redis.url, broker, start.id);

          expect(few.ids).toEqual(quiet.slice(0, 1));
          expect(many.ids).toEqual(quiet);
          // One script call: TIME, HMGET, XINFO and XRANGE of the one topic; no scan of any other key.
          // (XREAD is the node's reader catching up with the publishes, INFO, HELLO and CONFIG the measuring connection.)
          const ignored = new Set(["info", "hello", "config|resetstat", "xread"]);
          const total = (calls: Map<string, number>): number => [...calls.entries()].filter(([name]) => !ignored.has(name)).reduce((sum, [, n]) => sum + n, 0);
          expect(Object.fromEntries([...many.calls].filter(([name]) => !ignored.has(name)))).toEqual({ evalsha: 1, time: 1, hmget: 1, "xinfo|stream": 1, xrange: 1 });
          expect(total(many.calls)).toBe(total(few.calls));
          expect(total(many.calls)).toBeLessThanOrEqual(6);
          expect(many.calls.get("xrange")).toBe(1);
        } finally {
          await broker.close();
        }
      });
    },
    60_000,
  );

  test.skipIf(SKIP)(
    "serves 200 simultaneous resumes of one topic from different cursors with one shared read, not one read each",
    async () => {
      await withPrivateRedis(async (redis) => {
        const broker = new RedisBroker({ url: redis.url, streamKey: "storm" });
        try {
          await broker.subscribe(createRecorder().handlers, { topics: ["nothing"] });
          await waitFor("a connection", () => broker.health().ok);
          const ids: string[] = [];
          for (let index = 0; index < 300; index += 1) ids.push((await broker.publish({ topics: ["quiet"], data: `q${index}` })).id);
          // A first resume loads the script (EVAL), so the storm's is an EVALSHA.
          (await broker.subscribe(createRecorder().handlers, { topics: ["quiet"], lastEventId: ids[298] as string })).unsubscribe();
          const recorders = Array.from({ length: 200 }, createRecorder);
          await redisCommand(redis.url, "CONFIG", "RESETSTAT");
          const subscriptions = await Promise.all(
            recorders.map((recorder, index) => broker.subscribe(recorder.handlers, { topics: ["quiet"], lastEventId: ids[index] as string })),
          );
          const calls = await commandCalls(redis.url);
          for (const subscription of subscriptions) subscription.unsubscribe();

          recorders.forEach((recorder, index) => expect(recorder.ids()).toEqual(ids.slice(index + 1)));
          // One resume script (TIME, HMGET, XINFO, XRANGE inside) served them all; one each would be 200 scripts, 1,000 commands.
          const ignored = new Set(["info", "hello", "config|resetstat", "xread"]);
          const counted = Object.fromEntries([...calls].filter(([name]) => !ignored.has(name)));
          expect(counted).toEqual({ evalsha: 1, time: 1, hmget: 1, "xinfo|stream": 1, xrange: 1 });
        } finally {
          await broker.close();
        }
      });
    },
    60_000,
  );
});
