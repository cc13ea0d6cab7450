import { describe, expect, test } from "vitest";
import { type EventStreamCloseReason, createEventStream } from "./event-stream.ts";
import { MemoryBroker } from "./memory-broker.ts";
import { createManualDeadlines } from "./test-support/manual-deadlines.ts";
import { readUntil } from "./test-support/stream-reader.ts";

describe("createEventStream endsAt", () => {
  test("writes the end event after what was queued and closes cleanly at endsAt, with no id so the cursor stays", async () => {
    const broker = new MemoryBroker({ epoch: 1 });
    const clock = createManualDeadlines();
    const reasons: EventStreamCloseReason[] = [];
    const reader = createEventStream(broker, {
      retryMs: false,
      endsAt: 5_000,
      endEvent: { event: "auth-expired", data: '{"reason":"token expired"}' },
      deadlines: clock.deadlines,
      onClose: (reason) => reasons.push(reason),
    }).getReader();
    await readUntil(reader, () => broker.subscriberCount === 1);
    await broker.publish({ data: "before" });
    clock.reach(4_999);
    expect(reasons).toEqual([]);
    clock.reach(5_000);
    expect(reasons).toEqual(["deadline"]);
    expect(broker.subscriberCount).toBe(0);
    const { text, done } = await readUntil(reader, () => false);
    expect(done).toBe(true);
    expect(text).toBe("id: 1-1\ndata: before\n\nevent: auth-expired\ndata: {\"reason\":\"token expired\"}\n\n");
    expect(clock.deadlines.size).toBe(0);
  });

  test("a stream that ends first cancels its deadline", async () => {
    const broker = new MemoryBroker({ epoch: 1 });
    const clock = createManualDeadlines();
    const stream = createEventStream(broker, { endsAt: 5_000, deadlines: clock.deadlines });
    const reader = stream.getReader();
    await readUntil(reader, () => broker.subscriberCount === 1);
    expect(clock.deadlines.size).toBe(1);
    await reader.cancel();
    expect(clock.deadlines.size).toBe(0);
  });
});
