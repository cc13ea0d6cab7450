import { SseError } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { expectConcurrentBatchesInOrder } from "../../sse-core/src/test-support/concurrent-batches.ts";
import { REDIS_URL, redisCommand, SKIP_REDIS, topicStream, withBroker, withStreamKey } from "../test/support/redis.ts";
import { brokerKeys } from "./keys.ts";
import { RedisBroker } from "./redis-broker.ts";
import { compareRedisIds, parseStreamId } from "./stream-id.ts";

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<SseError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SseError);
    return error as SseError;
  }
  throw new Error("expected a rejection");
}

/** Whether `next` is the id right after `id` (same ms, next seq). */
function follows(id: string, next: string): boolean {
  const a = parseStreamId(id);
  const b = parseStreamId(next);
  return a !== undefined && b !== undefined && a.milliseconds === b.milliseconds && b.sequence === a.sequence + 1n;
}

describe("RedisBroker publishBatch (real Redis)", () => {
  test.skipIf(SKIP_REDIS)("stores a batch in one step with consecutive ids, in each topic's stream, answered in order", async () => {
    await withBroker(async (broker, key) => {
      const stored = await broker.publishBatch([
        { topics: ["a"], data: "1" },
        { topics: ["b", "a"], event: "note", data: "2" },
        { data: "3" },
      ]);
      expect(stored.map((event) => event.data)).toEqual(["1", "2", "3"]);
      const ids = stored.map((event) => event.id);
      expect(follows(ids[0] as string, ids[1] as string) && follows(ids[1] as string, ids[2] as string)).toBe(true);
      expect(await redisCommand(REDIS_URL, "XRANGE", topicStream(key, "a"), "-", "+")).toEqual([
        [ids[0], ["event", "message", "data", "1", "topics", "a"]],
        [ids[1], ["event", "note", "data", "2", "topics", "b a"]],
      ]);
      expect(await redisCommand(REDIS_URL, "XLEN", topicStream(key))).toBe(1);
      expect(await redisCommand(REDIS_URL, "HGET", brokerKeys(key).ids, "last")).toBe(ids[2]);
      expect(await broker.publishBatch([])).toEqual([]);
    });
  });

  test.skipIf(SKIP_REDIS)("stores nothing when the script fails on any event's key", async () => {
    await withBroker(async (broker, key) => {
      const before = await broker.publish({ topics: ["a"], data: "0" });
      // A key of the wrong type where the third event's topic stream belongs: Redis refuses it.
      await redisCommand(REDIS_URL, "SET", topicStream(key, "broken"), "not a stream");
      const error = await rejection(
        broker.publishBatch([{ topics: ["a"], data: "1" }, { topics: ["b"], data: "2" }, { topics: ["broken"], data: "3" }]),
      );
      expect(error.code).toBe("BROKER_UNAVAILABLE");
      expect(await redisCommand(REDIS_URL, "HGET", brokerKeys(key).ids, "last")).toBe(before.id);
      expect(await redisCommand(REDIS_URL, "XLEN", topicStream(key, "a"))).toBe(1);
      expect(await redisCommand(REDIS_URL, "EXISTS", topicStream(key, "b"))).toBe(0);
      expect(await redisCommand(REDIS_URL, "XLEN", brokerKeys(key).live)).toBe(1);
    });
  });

  test.skipIf(SKIP_REDIS)("stores nothing when one input is invalid, naming its index", async () => {
    await withBroker(async (broker, key) => {
      const error = await rejection(broker.publishBatch([{ topics: ["a"], data: "1" }, { topics: ["a/*"], data: "2" }]));
      expect(error.code).toBe("INVALID_TOPIC");
      expect(error.message).toMatch(/^inputs\[1\]: /);
      expect(await redisCommand(REDIS_URL, "EXISTS", brokerKeys(key).ids, topicStream(key, "a"))).toBe(0);
    });
  });

  test.skipIf(SKIP_REDIS)("delivers concurrent batches of two nodes to every subscriber once, in id order, each batch unbroken", async () => {
    await withStreamKey(async (key) => {
      const options = { url: REDIS_URL, streamKey: key, blockMs: 1000 };
      const a = new RedisBroker(options);
      const b = new RedisBroker(options);
      try {
        await expectConcurrentBatchesInOrder(a, b, compareRedisIds);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
});
