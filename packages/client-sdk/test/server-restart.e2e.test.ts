import { createEventsClient } from "@events/client-sdk";
import { describe, expect, test } from "vitest";
import { consume, statusLog } from "./test-support/consume.ts";
import { startServer } from "./test-support/server-process.ts";

describe("stream against the real server", () => {
  test("keeps going when the server is killed and restarted mid-stream, reporting the gap", async () => {
    let server = await startServer();
    const { statuses, onStatus, until: untilStatus } = statusLog();
    const client = createEventsClient(server.url, { reconnect: { initialDelayMs: 50, maxDelayMs: 250 }, onStatus });
    const stream = client.stream();
    const consumer = consume(stream);
    try {
      await consumer.until(() => consumer.events.some((event) => event.type === "connected"), "the connected event");
      await client.trigger("before 1");
      const second = await client.trigger("before 2");
      await consumer.until(() => consumer.messages.length === 2, "the events before the restart");
      expect(stream.lastEventId).toBe(second.id);

      await server.kill();
      await untilStatus(() => statuses.some((status) => status.state === "reconnecting"), "a reconnect attempt");
      server = await startServer(server.port);
      await consumer.until(() => consumer.events.some((event) => event.type === "gap"), "the gap after the restart");
      const after = await client.trigger("after 1");
      await consumer.until(() => consumer.messages.length === 3, "the event after the restart");

      expect(consumer.messages).toEqual(["before 1", "before 2", "after 1"]);
      // The restarted server's history starts empty: it greets, reports the gap, then streams live.
      expect(consumer.events.map((event) => event.type)).toEqual(["connected", "message", "message", "connected", "gap", "message"]);
      const gap = consumer.events.find((event) => event.type === "gap");
      if (gap?.type !== "gap") throw new Error("no gap event");
      // Without an App type every event's data is unknown: the gap's shape is checked here.
      expect(gap.data).toMatchObject({ requestedId: consumer.events[2]?.id });
      expect(stream.lastEventId).toBe(after.id);
    } finally {
      stream.close();
      await consumer.finished;
      await server.kill();
    }
    expect(statuses.at(-1)).toEqual({ state: "closed", reason: "closed" });
  }, 60_000);
});
