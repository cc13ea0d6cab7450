// Publishing through eventsPlugin: from a host route (ctx.events), from outside any request
// (plugin.publisher) and over HTTP, held to the contract with the same rules and counted in
// the same metrics.
import { defineEvents, MessageEventData } from "@events/contract";
import { Type } from "@sinclair/typebox";
import { describe, expect, test } from "vitest";
import { errorOf, metric, request } from "../../test/support/handle.ts";
import { createHostApp } from "../../test/support/host-app.ts";
import { refusal } from "../../test/support/publish-refusal.ts";
import { streamReader } from "../../test/support/stream-body.ts";
import { eventsPlugin } from "./events-plugin.ts";

const json = { "content-type": "application/json", authorization: "Bearer tok" };

function publish(app: { handle(request: Request): Promise<Response> }, body: unknown): Promise<Response> {
  return request(app, "/events/publish", { method: "POST", headers: json, body: JSON.stringify(body) });
}

describe("a publish through the plugin reaches a stream", () => {
  test("from a host route (ctx.events) and from outside any request (plugin.publisher)", async () => {
    const { app, plugin } = createHostApp({ metrics: true });
    const stream = streamReader(await request(app, "/events/stream?topic=orders/*"));
    await stream.readUntil(1);
    const fromRoute = await request(app, "/api/orders/42", { method: "POST", headers: { "content-type": "application/json" }, body: '{"status":"paid"}' });
    expect(fromRoute.status).toBe(200);
    const fromJob = await plugin.publisher.publish("orders/43", "order.updated", { id: "43", status: "shipped" });
    expect(fromJob).toMatchObject({ topics: ["orders/43"], clients: 1 });
    await stream.readUntil(3);
    expect(stream.events.slice(1).map((event) => [event.type, event.topic, JSON.parse(event.data)])).toEqual([
      ["order.updated", "orders/42", { id: "42", status: "paid" }],
      ["order.updated", "orders/43", { id: "43", status: "shipped" }],
    ]);
    expect(stream.events[2]?.lastEventId).toBe(fromJob.id);
    await stream.cancel();
    expect(await metric(app, "events_publishes_total")).toBe(2);
  });

  test("over HTTP, with the answer of POST /events/publish", async () => {
    const { app } = createHostApp();
    const answer = await publish(app, { topic: "rooms/1", event: "chat.message", data: { text: "hi" } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ topics: ["rooms/1"], clients: 0 });
  });
});

describe("a publish that breaks the contract is refused", () => {
  test("in process with EventsPublishError VALIDATION_FAILED and the JSON path inside data; over HTTP with 422 naming /data/...", async () => {
    const { app, plugin } = createHostApp({ metrics: true });
    const wrong = { id: "42", status: "lost" } as unknown as { id: string; status: "paid" };
    const error = await refusal(plugin.publisher.publish("orders/42", "order.updated", wrong));
    expect({ code: error.code, path: error.path }).toEqual({ code: "VALIDATION_FAILED", path: "/status" });
    expect(error.message).toBe('data of event "order.updated" at /data/status: must be one of "paid", "shipped" (got "lost")');
    const answer = await errorOf(await publish(app, { topic: "orders/42", event: "order.updated", data: { id: "42", status: "lost" } }));
    expect(answer).toEqual(expect.objectContaining({ status: 422, code: "VALIDATION_FAILED", message: error.message }));
    expect(await metric(app, 'events_publishes_rejected_total{reason="VALIDATION_FAILED"}')).toBe(2);
    expect(await metric(app, "events_publishes_total")).toBe(0);
  });

  test("naming the missing field, the wrong type, and an unknown field of data", async () => {
    const { app } = createHostApp();
    const cases: [unknown, string][] = [
      [{ status: "paid" }, "at /data/id: is required"],
      [{ id: 42, status: "paid" }, "at /data/id: expected string (got 42)"],
      [{ id: "42", status: "paid", note: "x" }, "at /data/note: is not a field of this event's data"],
      ["text", "at /data: expected object"],
    ];
    for (const [data, message] of cases) {
      const answer = await errorOf(await publish(app, { topic: "orders/42", event: "order.updated", data }));
      expect({ status: answer.status, message: answer.message }).toEqual({ status: 422, message: expect.stringContaining(message) });
    }
  });

  test("400 INVALID_EVENT_NAME naming the contract's event types for an unknown one", async () => {
    const { app, plugin } = createHostApp();
    const answer = await errorOf(await publish(app, { topic: "orders/42", event: "order.deleted", data: {} }));
    expect(answer).toMatchObject({ status: 400, code: "INVALID_EVENT_NAME" });
    expect(answer.message).toContain('"order.updated", "chat.message", "message"');
    const untyped = plugin.publisher as unknown as { publish(topic: string, event: string, data: unknown): Promise<unknown> };
    expect((await refusal(untyped.publish("orders/42", "order.deleted", {}))).code).toBe("INVALID_EVENT_NAME");
  });

  test("400 INVALID_TOPIC naming the patterns for a topic the event type may not be published to", async () => {
    const { app, plugin } = createHostApp();
    const answer = await errorOf(await publish(app, { topics: ["orders/1", "users/7"], event: "order.updated", data: { id: "1", status: "paid" } }));
    expect(answer).toMatchObject({ status: 400, code: "INVALID_TOPIC" });
    expect(answer.message).toContain('may be published to "orders/*" only (got topic "users/7")');
    const untyped = plugin.publisher as unknown as { publish(topic: string, event: string, data: unknown): Promise<unknown> };
    expect((await refusal(untyped.publish("orders", "order.updated", { id: "1", status: "paid" }))).code).toBe("INVALID_TOPIC");
    expect((await refusal(untyped.publish("a//b", "chat.message", { text: "x" }))).code).toBe("INVALID_TOPIC");
  });

  test("a trigger is a message of the contract: refused 400 INVALID_TOPIC outside the message type's topics", async () => {
    const plugin = eventsPlugin({ events: defineEvents({ message: { data: MessageEventData, topics: ["chat/*"] } }), keepAliveMs: false });
    const trigger = (body: string): Promise<Response> => request(plugin, "/events/trigger", { method: "POST", headers: json, body });
    expect((await trigger('{"message":"hi","topic":"chat/1"}')).status).toBe(200);
    expect(await errorOf(await trigger('{"message":"hi","topic":"rooms/1"}'))).toMatchObject({ status: 400, code: "INVALID_TOPIC" });
    // No topic: the default topic, which chat/* does not cover.
    expect(await errorOf(await trigger('{"message":"hi"}'))).toMatchObject({ status: 400, code: "INVALID_TOPIC" });
  });
});

describe("eventsPlugin without validatePublishes", () => {
  test("accepts any event name with any JSON data, as the standalone server does", async () => {
    const plugin = eventsPlugin({ validatePublishes: false, keepAliveMs: false });
    const answer = await publish(plugin, { topic: "a", event: "anything", data: [1, 2] });
    expect(answer.status).toBe(200);
    const untyped = plugin.publisher as unknown as { publish(topic: string, event: string, data: unknown): Promise<{ topics: string[] }> };
    expect(await untyped.publish("a", "other", null)).toMatchObject({ topics: ["a"] });
  });
});

describe("eventsPlugin options", () => {
  test("refuse a contract topic pattern that is not one, and a bad prefix, at creation", () => {
    expect(() => eventsPlugin({ events: defineEvents({ x: { data: Type.Null(), topics: ["a*"] } }) })).toThrow(/event "x": topic pattern/);
    expect(() => eventsPlugin({ prefix: "events" })).toThrow(/prefix must be/);
  });

  test("move the routes under another prefix", async () => {
    const plugin = eventsPlugin({ prefix: "/api/live", keepAliveMs: false });
    const response = await request(plugin, "/api/live/stream");
    expect(response.status).toBe(200);
    await response.body?.cancel();
    expect((await request(plugin, "/api/live/trigger", { method: "GET" })).status).toBe(405);
  });
});
