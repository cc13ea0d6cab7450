import { createEventsClient } from "@events/client-sdk";
import { describe, expect, test } from "vitest";
import { consume, statusLog } from "./test-support/consume.ts";
import { startFlakyProxy } from "./test-support/flaky-proxy.ts";
import { withServer } from "./test-support/server-process.ts";

const COUNT = 500;

describe("stream through connections cut at random", () => {
  test("yields all 500 events exactly once, in order", async () => {
    await withServer(async (server) => {
      const seed = Number(globalThis.process?.env?.["FLAKY_SEED"] ?? Date.now() % 100_000);
      const proxy = await startFlakyProxy(server.port, { seed, maxFrames: 8 });
      const { statuses, onStatus, until } = statusLog();
      // Triggers go straight to the server; only the stream crosses the flaky proxy.
      const direct = createEventsClient(server.url);
      const flaky = createEventsClient(proxy.url, { reconnect: { initialDelayMs: 5, maxDelayMs: 20 }, onStatus });
      const stream = flaky.stream();
      const consumer = consume(stream);
      try {
        await consumer.until(() => consumer.events.some((event) => event.type === "connected"), "the connected event");
        const expected: string[] = [];
        for (let index = 0; index < COUNT; index += 1) {
          expected.push(`event ${index}`);
          await direct.trigger(`event ${index}`);
        }
        await consumer.until(() => consumer.messages.length >= COUNT, `${COUNT} events (seed ${seed})`, 90_000);
        expect(consumer.messages).toEqual(expected);
        expect(consumer.events.some((event) => event.type === "gap")).toBe(false);
        // The proxy may cut once more after the last event, before this line: every cut counted
        // so far must show as a reconnect, which the client reports a moment after the cut.
        const cuts = proxy.cuts;
        expect(cuts).toBeGreaterThan(COUNT / 10);
        const reconnects = (): number => statuses.filter((status) => status.state === "reconnecting").length;
        await until(() => reconnects() >= cuts, `a reconnect for each of the ${cuts} cuts (seed ${seed})`);
        expect(reconnects()).toBeGreaterThanOrEqual(cuts);
      } finally {
        stream.close();
        await consumer.finished;
        await proxy.close();
      }
    });
  }, 120_000);
});
