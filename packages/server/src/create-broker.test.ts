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

describe("createBroker with --broker postgres", () => {
  const postgres = { ...selection, broker: "postgres", postgresUrl: "postgres://app:hunter2@db:5432/shop", postgresTable: "app_events" } as const;

  /** A PostgresBroker stand-in: a MemoryBroker that records its options and whose start-up succeeds or fails. */
  function fakeModule(ready: () => Promise<void>, seen: unknown[], closed: string[] = []) {
    class PostgresBroker extends MemoryBroker {
      constructor(options: unknown) {
        super();
        seen.push(options);
      }
      ready(): Promise<void> {
        return ready();
      }
      override close(): Promise<void> {
        closed.push("closed");
        return super.close();
      }
    }
    return () => Promise.resolve({ PostgresBroker });
  }

  test("hands the Postgres broker its URL, table and history bounds, and starts it before answering", async () => {
    const seen: unknown[] = [];
    let started = false;
    const broker = await createBroker(
      { ...postgres, historyTtlMs: 60_000, maxRetainedTopics: 7 },
      { loadPostgresBroker: fakeModule(() => Promise.resolve(void (started = true)), seen) },
    );
    expect(started).toBe(true);
    expect(seen).toEqual([{ url: postgres.postgresUrl, table: "app_events", historySize: 10, historyTtlMs: 60_000, maxRetainedTopics: 7 }]);
    await broker.close();
  });

  test("throws BROKER_UNREACHABLE with the URL's password masked, and closes the broker, when Postgres cannot be used", async () => {
    const closed: string[] = [];
    const unreachable = (): Promise<void> => Promise.reject(new Error("connect ECONNREFUSED 10.0.0.9:5432\n  at connect"));
    const error = await createBroker(postgres, { loadPostgresBroker: fakeModule(unreachable, [], closed) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerOptionsError);
    expect(error).toMatchObject({ code: "BROKER_UNREACHABLE" });
    expect((error as Error).message).toBe(
      '--broker postgres cannot use Postgres at postgres://app:[redacted]@db:5432/shop to set up table "app_events" (connect ECONNREFUSED 10.0.0.9:5432); check that it runs and that --postgres-url or DATABASE_URL names a database this user may create tables in',
    );
    expect(closed).toEqual(["closed"]);
  });

  test("gives up on a start-up that does not answer within startTimeoutMs", async () => {
    const silent = (): Promise<void> => new Promise<void>(() => {});
    const error = await createBroker(postgres, { loadPostgresBroker: fakeModule(silent, []), startTimeoutMs: 20 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "BROKER_UNREACHABLE" });
    expect((error as Error).message).toContain("(no answer within 20 ms)");
  });

  test("throws BROKER_NOT_INSTALLED naming the package when it cannot be loaded", async () => {
    const loadPostgresBroker = (): Promise<never> => Promise.reject(new Error("Cannot find package '@events/postgres-broker'"));
    const error = await createBroker(postgres, { loadPostgresBroker }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "BROKER_NOT_INSTALLED" });
    expect((error as Error).message).toBe(
      "--broker postgres needs the @events/postgres-broker package, which could not be loaded (Cannot find package '@events/postgres-broker'); run bun install at the repo root",
    );
  });
});
