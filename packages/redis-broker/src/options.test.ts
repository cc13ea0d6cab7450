import { describe, expect, test } from "vitest";
import { DEFAULT_REDIS_BROKER_OPTIONS, resolveRedisBrokerOptions } from "./options.ts";

describe("resolveRedisBrokerOptions", () => {
  test("fills in the documented defaults", () => {
    const resolved = resolveRedisBrokerOptions();
    expect(resolved).toMatchObject(DEFAULT_REDIS_BROKER_OPTIONS);
    expect(resolved).toMatchObject({ url: "redis://127.0.0.1:6379", streamKey: "events:stream", historySize: 1000 });
    expect(resolved).toMatchObject({ idempotencyWindowMs: 600_000, maxIdempotencyKeys: 100_000 });
    expect(resolved).toMatchObject({ historyTtlMs: false, maxRetainedTopics: 10_000, liveStreamSize: 10_000 });
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  test("keeps the given values", () => {
    const resolved = resolveRedisBrokerOptions({ url: "rediss://cache:6380/2", streamKey: "app:events", historySize: 5, reconnect: { maxDelayMs: 500 } });
    expect(resolved).toMatchObject({ url: "rediss://cache:6380/2", streamKey: "app:events", historySize: 5, reconnect: { initialDelayMs: 100, maxDelayMs: 500 } });
  });

  test("takes an age bound in ms, or false for none", () => {
    expect(resolveRedisBrokerOptions({ historyTtlMs: 60_000 }).historyTtlMs).toBe(60_000);
    expect(resolveRedisBrokerOptions({ historyTtlMs: false }).historyTtlMs).toBe(false);
  });

  const invalid: [string, Parameters<typeof resolveRedisBrokerOptions>[0]][] = [
    ["historyTtlMs", { historyTtlMs: 0 }],
    ["historyTtlMs", { historyTtlMs: 1.5 }],
    ["maxRetainedTopics", { maxRetainedTopics: 0 }],
    ["liveStreamSize", { liveStreamSize: -5 }],
    ["historySize", { historySize: 0 }],
    ["historySize", { historySize: 1.5 }],
    ["blockMs", { blockMs: -1 }],
    ["commandTimeoutMs", { commandTimeoutMs: Number.NaN }],
    ["idempotencyWindowMs", { idempotencyWindowMs: 0 }],
    ["maxIdempotencyKeys", { maxIdempotencyKeys: 2.5 }],
    ["url", { url: "http://localhost:6379" }],
    ["streamKey", { streamKey: "" }],
    ["reconnect.maxDelayMs", { reconnect: { initialDelayMs: 1000, maxDelayMs: 10 } }],
  ];
  for (const [name, options] of invalid) {
    test(`rejects an invalid ${name} with INVALID_OPTION naming it`, () => {
      expect(() => resolveRedisBrokerOptions(options)).toThrow(expect.objectContaining({ code: "INVALID_OPTION", message: expect.stringContaining(name) }));
    });
  }
});
