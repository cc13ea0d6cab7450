// The in-process batch: plugin.publisher.publishBatch stores several events all or none, in
// order, checked as publish checks one, counted as HTTP batches are.
import { SseError, parseEventId } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { FakeBroker } from "../../test/support/fake-broker.ts";
import { metric, request } from "../../test/support/handle.ts";
import { createHostApp } from "../../test/support/host-app.ts";
import { refusal } from "../../test/support/publish-refusal.ts";
import { streamReader } from "../../test/support/stream-body.ts";
import { eventsPlugin } from "./events-plugin.ts";

describe("plugin.publisher.publishBatch", () => {
  test("stores the events with consecutive ids, answers each, and a stream gets them in order", async () => {
    const { app, plugin } = createHostApp({ metrics: true });
    const stream = streamReader(await request(app, "/events/stream?topic=orders/*"));
    await stream.readUntil(1);
    const answers = await plugin.publisher.publishBatch([
      { topic: "orders/1", event: "order.updated", data: { id: "1", status: "paid" } },
      { topic: ["orders/2", "orders/3"], event: "order.updated", data: { id: "2", status: "shipped" } },
      { topic: "rooms/9", event: "chat.message", data: { text: "not for this stream" } },
    ]);
    expect(answers.map((answer) => answer.topics)).toEqual([["orders/1"], ["orders/2", "orders/3"], ["rooms/9"]]);
    expect(answers.map((answer) => answer.clients)).toEqual([1, 1, 0]);
    const sequences = answers.map((answer) => parseEventId(answer.id)?.sequence as number);
    expect(sequences).toEqual([sequences[0], (sequences[0] as number) + 1, (sequences[0] as number) + 2]);
    await stream.readUntil(3);
    expect(stream.events.slice(1).map((event) => [event.lastEventId, event.topic, JSON.parse(event.data).id])).toEqual([
      [answers[0]?.id, "orders/1", "1"],
      [answers[1]?.id, "orders/2", "2"],
    ]);
    await stream.cancel();
    expect(await metric(app, "events_publishes_total")).toBe(3);
  });

  test("refuses the whole batch for one bad event, naming its index and the path inside data; nothing is stored", async () => {
    const { app, plugin } = createHostApp({ metrics: true });
    const opening = streamReader(await request(app, "/events/stream?topic=orders/*"));
    await opening.readUntil(1);
    const cursor = opening.events[0]?.lastEventId as string;
    await opening.cancel();
    const wrong = { id: "2", status: "lost" } as unknown as { id: string; status: "paid" };
    const error = await refusal(
      plugin.publisher.publishBatch([
        { topic: "orders/1", event: "order.updated", data: { id: "1", status: "paid" } },
        { topic: "orders/2", event: "order.updated", data: wrong },
      ]),
    );
    expect({ code: error.code, index: error.index, path: error.path }).toEqual({ code: "VALIDATION_FAILED", index: 1, path: "/status" });
    expect(error.message).toContain("batch item 1:");
    expect(await metric(app, "events_publishes_total")).toBe(0);
    expect(await metric(app, 'events_publishes_rejected_total{reason="VALIDATION_FAILED"}')).toBe(1);
    // Nothing of the batch is in history: a resume from before it replays only what came after.
    const fresh = await plugin.publisher.publish("orders/3", "order.updated", { id: "3", status: "paid" });
    const replay = streamReader(await request(app, "/events/stream?topic=orders/*", { headers: { "last-event-id": cursor } }));
    await replay.readUntil(2);
    expect(replay.events.slice(1).map((event) => event.lastEventId)).toEqual([fresh.id]);
    await replay.cancel();
  });

  test("names the index of an event with a topic its type may not be published to", async () => {
    const { plugin } = createHostApp();
    const untyped = plugin.publisher as unknown as { publishBatch(items: unknown[]): Promise<unknown> };
    const error = await refusal(
      untyped.publishBatch([
        { topic: "orders/1", event: "order.updated", data: { id: "1", status: "paid" } },
        { topic: "orders/2", event: "order.updated", data: { id: "2", status: "paid" } },
        { topic: "users/7", event: "order.updated", data: { id: "7", status: "paid" } },
      ]),
    );
    expect({ code: error.code, index: error.index }).toEqual({ code: "INVALID_TOPIC", index: 2 });
  });

  test("refuses an empty batch and one longer than maxBatch with INVALID_BATCH", async () => {
    const plugin = eventsPlugin({ validatePublishes: false, keepAliveMs: false, maxBatch: 2 });
    const untyped = plugin.publisher as unknown as { publishBatch(items: unknown): Promise<unknown> };
    const item = { topic: "a", event: "x", data: 1 };
    expect(await refusal(untyped.publishBatch([]))).toMatchObject({ code: "INVALID_BATCH", message: expect.stringContaining("1 to 2 events (got 0 events") });
    expect((await refusal(untyped.publishBatch([item, item, item]))).code).toBe("INVALID_BATCH");
    expect((await refusal(untyped.publishBatch(item))).code).toBe("INVALID_BATCH");
    expect(await untyped.publishBatch([item, item])).toHaveLength(2);
  });

  test("refuses with INVALID_BATCH on a broker that cannot store several events atomically", async () => {
    const broker = new FakeBroker();
    expect((broker as { publishBatch?: unknown }).publishBatch).toBeUndefined();
    const plugin = eventsPlugin({ validatePublishes: false, keepAliveMs: false, broker });
    const untyped = plugin.publisher as unknown as { publishBatch(items: unknown[]): Promise<unknown> };
    const error = await refusal(untyped.publishBatch([{ topic: "a", event: "x", data: 1 }]));
    expect(error.code).toBe("INVALID_BATCH");
    expect(error.message).toContain("cannot store several events atomically");
  });

  test("passes a broker's own failure on as its code: BROKER_UNAVAILABLE, nothing stored", async () => {
    const broker = new FakeBroker();
    const failing = Object.assign(broker, {
      publishBatch: () => Promise.reject(new SseError("BROKER_UNAVAILABLE", "down")),
    });
    const plugin = eventsPlugin({ validatePublishes: false, keepAliveMs: false, broker: failing });
    const untyped = plugin.publisher as unknown as { publishBatch(items: unknown[]): Promise<unknown> };
    expect((await refusal(untyped.publishBatch([{ topic: "a", event: "x", data: 1 }]))).code).toBe("BROKER_UNAVAILABLE");
  });
});
