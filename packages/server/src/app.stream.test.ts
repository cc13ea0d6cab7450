// GET and HEAD /events/stream through `app.handle(new Request(...))`: every status they answer.
import { SseError } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { createTestApp, errorOf, metric, request } from "../test/support/handle.ts";
import { firstEvents, streamReader } from "../test/support/stream-body.ts";

const STREAM_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no" };

describe("GET /events/stream", () => {
  test("answers 200 with the stream headers; the body opens with retry: and a connected event", async () => {
    const { app } = await createTestApp({ retryMs: 1500 });
    const response = await request(app, "/events/stream");
    expect(response.status).toBe(200);
    for (const [name, value] of Object.entries(STREAM_HEADERS)) expect(response.headers.get(name)).toBe(value);
    expect(response.headers.get("connection")).toBeNull();
    expect(await metric(app, "events_clients_connected")).toBe(1);
    const { events, retries } = await firstEvents(response, 1);
    expect(retries).toEqual([1500]);
    expect(events[0]).toMatchObject({ type: "connected", lastEventId: "fake-0" });
    expect(JSON.parse(events[0]!.data)).toEqual({ message: "Connected to SSE stream", clients: 1, replayed: 0 });
    expect(await metric(app, "events_clients_connected")).toBe(0);
    expect(await metric(app, 'events_streams_closed_total{reason="cancelled"}')).toBe(1);
  });

  test("delivers a triggered event to the open stream", async () => {
    const { app } = await createTestApp();
    const stream = streamReader(await request(app, "/events/stream"));
    await stream.readUntil(1);
    await request(app, "/events/trigger", { method: "POST", headers: { "content-type": "application/json" }, body: '{"message":"hi"}' });
    await stream.readUntil(2);
    expect(stream.events[1]).toMatchObject({ type: "message", lastEventId: "fake-1", data: '{"message":"hi"}' });
    expect(await metric(app, "events_delivered_total")).toBe(1);
    await stream.cancel();
  });

  test("hands Last-Event-ID to the broker, the header winning over the query parameter", async () => {
    const { app, broker } = await createTestApp();
    await firstEvents(await request(app, "/events/stream?lastEventId=from-query"), 1);
    await firstEvents(await request(app, "/events/stream?lastEventId=from-query", { headers: { "last-event-id": "from-header" } }), 1);
    expect(broker.subscribes).toEqual([{ lastEventId: "from-query" }, { lastEventId: "from-header" }]);
  });

  test("answers 200 while the broker is down: retry: and a clean end, so EventSource retries", async () => {
    const { app, broker } = await createTestApp({ retryMs: 700 });
    broker.failSubscribe(new SseError("BROKER_UNAVAILABLE", "redis is down"));
    const response = await request(app, "/events/stream");
    expect(response.status).toBe(200);
    expect(await firstEvents(response, 1)).toEqual({ events: [], retries: [700], ended: true });
    expect(await metric(app, 'events_streams_closed_total{reason="broker-unavailable"}')).toBe(1);
  });

  test("answers 503 TOO_MANY_CLIENTS with Retry-After past maxClients", async () => {
    const { app } = await createTestApp({ maxClients: 1, retryMs: 4000 });
    const open = await request(app, "/events/stream");
    const refused = await errorOf(await request(app, "/events/stream"));
    expect(refused).toMatchObject({ status: 503, code: "TOO_MANY_CLIENTS" });
    expect(refused.headers.get("retry-after")).toBe("4");
    await firstEvents(open, 1);
    expect((await request(app, "/events/stream")).status).toBe(200);
  });

  test("answers 503 SHUTTING_DOWN once the signal is aborted, and ends the open streams", async () => {
    const { app, shutdown } = await createTestApp();
    const open = streamReader(await request(app, "/events/stream"));
    await open.readUntil(1);
    shutdown.abort();
    expect(await open.readUntil(2)).toBe(true);
    expect(await metric(app, 'events_streams_closed_total{reason="aborted"}')).toBe(1);
    const refused = await errorOf(await request(app, "/events/stream"));
    expect(refused).toMatchObject({ status: 503, code: "SHUTTING_DOWN" });
    expect(refused.headers.get("retry-after")).toBe("1");
  });
});

describe("HEAD /events/stream", () => {
  test("answers 200 with the stream headers and no body, opening no stream", async () => {
    const { app, broker } = await createTestApp();
    const response = await request(app, "/events/stream", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(await response.text()).toBe("");
    expect(broker.subscribes).toEqual([]);
    expect(await metric(app, "events_clients_connected")).toBe(0);
  });

  test("answers 503 as GET would: full, then shutting down", async () => {
    const { app, shutdown } = await createTestApp({ maxClients: 1 });
    const open = await request(app, "/events/stream");
    expect(await errorOf(await request(app, "/events/stream", { method: "HEAD" }))).toMatchObject({ status: 503, code: "TOO_MANY_CLIENTS" });
    await firstEvents(open, 1);
    expect((await request(app, "/events/stream", { method: "HEAD" })).status).toBe(200);
    shutdown.abort();
    // The runtime drops a HEAD answer's body on the wire; in-process, it is the JSON error GET gets.
    expect(await errorOf(await request(app, "/events/stream", { method: "HEAD" }))).toMatchObject({ status: 503, code: "SHUTTING_DOWN" });
  });
});
