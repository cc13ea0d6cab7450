// The typed client against a real host app (test/fixtures/shop-app.ts: the events plugin under
// `/live` with a contract of its own), typed by that app's `App` type.
import { createEventsClient, EventsClientError, type StreamEventOf } from "@events/client-sdk";
import { describe, expect, test } from "vitest";
import type { ShopApp } from "./fixtures/shop-app.ts";
import { withShopServer } from "./test-support/server-process.ts";

type ShopEvent = StreamEventOf<ShopApp, "/live">;

/**
 * Opens `stream` and resolves once its `connected` event arrived (the subscription is live):
 * `take(count)` then collects the next `count` events and closes the stream.
 */
async function connect(stream: AsyncIterable<ShopEvent> & { close(): void }): Promise<{ take(count: number): Promise<ShopEvent[]> }> {
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done || first.value.type !== "connected") throw new Error(`expected connected first, got ${JSON.stringify(first.value)}`);
  return {
    take: async (count) => {
      const seen: ShopEvent[] = [];
      while (seen.length < count) {
        const result = await iterator.next();
        if (result.done) throw new Error("the stream ended");
        seen.push(result.value);
      }
      stream.close();
      return seen;
    },
  };
}

describe("the typed client against a host app with the events plugin", () => {
  test("publishes typed events under the prefix and streams them back typed, with their topics", async () => {
    await withShopServer(async (url) => {
      const client = createEventsClient<ShopApp, "/live">(url, { prefix: "/live" });
      const stream = await connect(client.stream({ topics: ["orders/42", "chat/*"] }));
      const order = await client.publish({ topic: "orders/42", event: "order.updated", data: { id: "42", status: "paid" } });
      await client.publish({ topic: "chat/1", event: "chat.message", data: { text: "hi" } });
      await client.publish({ topic: "chat/1", data: { message: "a message leaves event out" } });
      const events = await stream.take(3);
      expect(events.map(({ type, topic, data }) => ({ type, topic, data }))).toEqual([
        { type: "order.updated", topic: "orders/42", data: { id: "42", status: "paid" } },
        { type: "chat.message", topic: "chat/1", data: { text: "hi" } },
        { type: "message", topic: "chat/1", data: { message: "a message leaves event out" } },
      ]);
      expect(events[0]?.id).toBe(order.id);
      const first = events[0];
      if (first?.unknown !== true && first?.type === "order.updated") expect(first.data.status).toBe("paid");
    });
  }, 60_000);

  test("yields an event outside knownEvents as unknown, with its raw text", async () => {
    await withShopServer(async (url) => {
      const client = createEventsClient<ShopApp, "/live">(url, { prefix: "/live", knownEvents: ["order.updated", "message"] });
      const stream = await connect(client.stream({ topics: ["chat/*"] }));
      await client.publish({ topic: "chat/9", event: "chat.message", data: { text: "new" } });
      expect(await stream.take(1)).toEqual([{ type: "chat.message", data: { text: "new" }, raw: '{"text":"new"}', id: expect.any(String), topic: "chat/9", unknown: true }]);
    });
  }, 60_000);

  test("the server's refusals arrive as HTTP_ERROR: a wrong payload (422, JSON path), a wrong topic, an unknown name", async () => {
    await withShopServer(async (url) => {
      // The untyped client gets past the compile-time checks this test proves the server repeats.
      const publish = createEventsClient(url, { prefix: "/live" }).publish;
      const refusal = async (input: Parameters<typeof publish>[0]): Promise<EventsClientError> =>
        (await publish(input).catch((caught: unknown) => caught)) as EventsClientError;
      const payload = await refusal({ topic: "orders/1", event: "order.updated", data: { id: "1", status: "lost" } });
      expect(payload).toBeInstanceOf(EventsClientError);
      expect(payload).toMatchObject({ code: "HTTP_ERROR", status: 422 });
      expect(payload.message).toContain("/data/status");
      expect(await refusal({ topic: "rooms/1", event: "order.updated", data: { id: "1", status: "paid" } })).toMatchObject({
        status: 400,
        body: { error: { code: "INVALID_TOPIC" } },
      });
      expect(await refusal({ topic: "orders/1", event: "order.deleted", data: {} })).toMatchObject({
        status: 400,
        body: { error: { code: "INVALID_EVENT_NAME" } },
      });
    });
  }, 60_000);
});
