import { describe, expect, test } from "vitest";
import { REDIS_URL, SKIP_REDIS } from "../test/support/redis.ts";
import { createConnection, whenReady } from "./connection.ts";
import { resolveRedisBrokerOptions } from "./options.ts";

describe("whenReady", () => {
  test.skipIf(SKIP_REDIS)("lets hundreds of callers wait on one connection behind one ready listener, and cleans up", async () => {
    const connection = createConnection(resolveRedisBrokerOptions({ url: REDIS_URL }), "commands", () => {});
    try {
      const before = connection.listenerCount("ready");
      const waits = Array.from({ length: 300 }, () => whenReady(connection, 5000, false));
      // One shared listener however many wait (a storm of subscribes must not trip MaxListenersExceededWarning).
      expect(connection.listenerCount("ready")).toBeLessThanOrEqual(before + 1);
      await Promise.all(waits);
      expect(connection.status).toBe("ready");
      expect(connection.listenerCount("ready")).toBe(before);
      expect(connection.listenerCount("close")).toBeLessThanOrEqual(1);
    } finally {
      connection.disconnect();
    }
  });

  test.skipIf(SKIP_REDIS)("times out each caller on its own and leaves no listener behind", async () => {
    // A port nothing listens on: the connection never becomes ready. Its first attempt fails before
    // counting, and the next is 10 s away: ioredis's own connect() adds a "ready" listener while it
    // tries, so an attempt inside the window would be counted as ours.
    const options = resolveRedisBrokerOptions({ url: "redis://127.0.0.1:1", reconnect: { initialDelayMs: 10_000, maxDelayMs: 10_000 } });
    const connection = createConnection(options, "commands", () => {});
    try {
      await connection.connect().catch(() => {});
      const before = connection.listenerCount("ready");
      const outcomes = await Promise.allSettled([whenReady(connection, 50, false), whenReady(connection, 80, false)]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "rejected"]);
      expect(connection.listenerCount("ready")).toBe(before);
    } finally {
      connection.disconnect();
    }
  });
});
