import { MemoryBroker } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { createBroker } from "./create-broker.ts";
import { ServerOptionsError } from "./server-options-error.ts";

const selection = { historySize: 10, redisUrl: "redis://127.0.0.1:6379", redisStreamKey: "events:stream" } as const;

describe("createBroker", () => {
  test("builds a MemoryBroker for --broker memory", async () => {
    const broker = await createBroker({ ...selection, broker: "memory" });
    expect(broker).toBeInstanceOf(MemoryBroker);
    await broker.close();
  });

  test("hands the memory broker the history bounds: per topic by count and age, per node by bytes and retained topics", async () => {
    const broker = await createBroker({ ...selection, broker: "memory", historyBytes: 4096, historyTtlMs: 60_000, maxRetainedTopics: 2 });
    for (const topic of ["a", "b", "c"]) await broker.publish({ data: "x", topics: [topic] });
    expect((broker as MemoryBroker).retainedTopics).toBe(2);
    expect((broker as MemoryBroker).topicEvictions).toBe(1);
    await broker.close();
  });

  test("hands the Redis broker its history bounds", async () => {
    const seen: unknown[] = [];
    class RedisBroker extends MemoryBroker {
      constructor(options: unknown) {
        super();
        seen.push(options);
      }
    }
    const broker = await createBroker(
      { ...selection, broker: "redis", historyTtlMs: 60_000, maxRetainedTopics: 7 },
      { loadRedisBroker: () => Promise.resolve({ RedisBroker }) },
    );
    expect(seen).toEqual([{ url: selection.redisUrl, streamKey: "events:stream", historySize: 10, historyTtlMs: 60_000, maxRetainedTopics: 7 }]);
    await broker.close();
  });

  test("throws ServerOptionsError BROKER_NOT_INSTALLED naming the fix when the Redis package cannot be loaded", async () => {
    const loadRedisBroker = (): Promise<never> => Promise.reject(new Error("Cannot find package '@events/redis-broker'\n  at resolve"));
    const error = await createBroker({ ...selection, broker: "redis" }, { loadRedisBroker }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerOptionsError);
    expect(error).toMatchObject({ name: "ServerOptionsError", code: "BROKER_NOT_INSTALLED" });
    expect((error as Error).message).toBe(
      "--broker redis needs the @events/redis-broker package, which could not be loaded (Cannot find package '@events/redis-broker'); run bun install at the repo root",
    );
  });
});
