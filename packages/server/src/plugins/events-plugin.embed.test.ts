// eventsPlugin mounted in a host app with its own routes, hooks and settings: the host keeps
// its routes, hooks and 404s; the plugin's routes keep their exact answers.
import { openapi } from "@elysiajs/openapi";
import { Elysia } from "elysia";
import { describe, expect, test } from "vitest";
import { errorOf, request } from "../../test/support/handle.ts";
import { createHostApp, HOST_ERROR_STATUS, hostEvents } from "../../test/support/host-app.ts";
import { eventsPlugin } from "./events-plugin.ts";

const json = { "content-type": "application/json" };
const token = { authorization: "Bearer tok" };

function post(app: { handle(request: Request): Promise<Response> }, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return request(app, path, { method: "POST", headers: { ...json, ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
}

describe("eventsPlugin in a host app leaves the host's own", () => {
  test("routes: its / and /healthz answer as the host wrote them", async () => {
    const { app } = createHostApp({ health: false });
    expect(await (await request(app, "/")).text()).toBe("host home");
    expect(await (await request(app, "/healthz")).json()).toEqual({ host: "ok" });
  });

  test("POST routes unguarded: the trigger token is never asked of them", async () => {
    const { app, seen } = createHostApp();
    const answer = await post(app, "/api/orders/42", { status: "shipped" });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ order: "42", status: "shipped" });
    expect(seen.errors).toEqual([]);
  });

  test("hooks: its hook runs before its routes and its error hook answers its 404s and its bugs", async () => {
    const { app, seen } = createHostApp();
    await request(app, "/");
    const missing = await request(app, "/nope");
    expect(missing.status).toBe(HOST_ERROR_STATUS);
    // A path under the prefix that the plugin does not serve is the host's 404 too.
    expect((await request(app, "/events/other")).status).toBe(HOST_ERROR_STATUS);
    expect(seen.beforeHandle).toContain("GET /");
    expect(seen.errors).toEqual(["NOT_FOUND", "NOT_FOUND"]);
  });
});

describe("eventsPlugin in a host app keeps its own answers", () => {
  test("422 VALIDATION_FAILED for an unknown field, whatever the host's normalize", async () => {
    const { app, seen } = createHostApp();
    const answer = await errorOf(await post(app, "/events/publish", { topic: "rooms/1", event: "chat.message", data: { text: "hi" }, extra: 1 }, token));
    expect(answer).toMatchObject({ status: 422, code: "VALIDATION_FAILED" });
    expect(answer.message).toContain('"extra" is not a known field');
    const trigger = await errorOf(await post(app, "/events/trigger", { message: "hi", extra: 1 }, token));
    expect(trigger).toMatchObject({ status: 422, code: "VALIDATION_FAILED" });
    expect(seen.errors).toEqual([]);
  });

  test("405 METHOD_NOT_ALLOWED with Allow for its paths under other methods", async () => {
    const { app, seen } = createHostApp();
    const cases: [string, string, string][] = [
      ["GET", "/events/publish", "POST"],
      ["DELETE", "/events/trigger", "POST"],
      ["HEAD", "/events/trigger", "POST"],
      ["POST", "/events/stream", "GET, HEAD"],
      ["PUT", "/events/stream/", "GET, HEAD"],
    ];
    for (const [method, path, allow] of cases) {
      const response = await request(app, path, { method });
      expect({ method, path, status: response.status, allow: response.headers.get("allow") }).toEqual({ method, path, status: 405, allow });
      if (method !== "HEAD") expect((await errorOf(response)).code).toBe("METHOD_NOT_ALLOWED");
    }
    expect(seen.errors).toEqual([]);
  });

  test("401, 400, 413 and 415 as JSON errors, never the host's error answer", async () => {
    const { app, seen } = createHostApp();
    expect(await errorOf(await post(app, "/events/publish", { topic: "a", data: 1 }))).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(await errorOf(await post(app, "/events/publish", "{", token))).toMatchObject({ status: 400, code: "INVALID_JSON" });
    expect(await errorOf(await post(app, "/events/publish", { topic: "rooms/1", event: "chat.message", data: { text: "x".repeat(2000) } }, token))).toMatchObject({
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
    });
    expect(await errorOf(await post(app, "/events/trigger", { message: "hi" }, { ...token, "content-type": "text/plain" }))).toMatchObject({
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
    expect(await errorOf(await request(app, "/events/stream?topic=a*"))).toMatchObject({ status: 400, code: "INVALID_TOPIC_PATTERN" });
    expect(seen.errors).toEqual([]);
  });

  test("its stream: 200 text/event-stream opening with connected", async () => {
    const { app } = createHostApp();
    const response = await request(app, "/events/stream?topic=orders/*");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    await response.body?.cancel();
  });

  test("its opt-in routes only when asked: /metrics and /openapi.json", async () => {
    const plain = createHostApp();
    expect((await request(plain.app, "/metrics")).status).toBe(HOST_ERROR_STATUS);
    const withExtras = createHostApp({ metrics: true, openapi: true });
    expect(await (await request(withExtras.app, "/metrics")).text()).toContain("# TYPE events_publishes_total counter");
    const document = (await (await request(withExtras.app, "/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/events/stream", "/events/publish", "/events/trigger"]));
  });
});

describe("eventsPlugin in a host with its own @elysiajs/openapi", () => {
  test("documents its routes in the host's document: the publish union, the stream's parameters, no 405 stand-ins", async () => {
    const app = new Elysia().use(openapi({ provider: null })).get("/", () => "host").use(eventsPlugin({ events: hostEvents, keepAliveMs: false }));
    type Operation = { parameters?: { name: string }[]; requestBody?: { content: Record<string, { schema: { anyOf?: { title?: string }[] } }> } };
    const document = (await (await request(app, "/openapi/json")).json()) as { paths: Record<string, Record<string, Operation>> };
    const publishBody = document.paths["/events/publish"]?.["post"]?.requestBody?.content["application/json"]?.schema;
    expect(publishBody?.anyOf?.map((member) => member.title)).toEqual(["order.updated", "chat.message", "message", "batch"]);
    expect(document.paths["/events/stream"]?.["get"]?.parameters?.map((parameter) => parameter.name)).toEqual(["topic", "lastEventId", "Last-Event-ID"]);
    expect(Object.keys(document.paths["/events/stream"] ?? {})).toEqual(["get"]);
    expect(Object.keys(document.paths["/events/trigger"] ?? {})).toEqual(["post"]);
  });
});
