// What the app answers outside the events routes, through `app.handle(new Request(...))`:
// 404, 405 with Allow, 500 INTERNAL, and the operations routes.
import { describe, expect, test } from "vitest";
import { createTestApp, errorOf, metric, request } from "../test/support/handle.ts";

describe("unknown paths and methods", () => {
  test("answer 404 NOT_FOUND as JSON for a path no route serves", async () => {
    const { app } = await createTestApp();
    for (const path of ["/nope", "/events", "/events/stream/extra", "/index.html"]) {
      const answer = await errorOf(await request(app, path));
      expect({ path, status: answer.status, code: answer.code }).toEqual({ path, status: 404, code: "NOT_FOUND" });
    }
  });

  test("answer 405 METHOD_NOT_ALLOWED with Allow for a path served under other methods", async () => {
    const { app } = await createTestApp();
    const cases: [string, string, string][] = [
      ["DELETE", "/events/trigger", "POST"],
      ["GET", "/events/trigger", "POST"],
      ["POST", "/events/stream", "GET, HEAD"],
      ["PUT", "/events/stream/", "GET, HEAD"],
      ["POST", "/healthz", "GET, HEAD"],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await errorOf(await request(app, path, { method }));
      expect({ method, path, status: answer.status, code: answer.code, allow: answer.headers.get("allow") }).toEqual({
        method,
        path,
        status: 405,
        code: "METHOD_NOT_ALLOWED",
        allow,
      });
      expect(answer.message).toContain(`use ${allow}`);
    }
  });
});

describe("a bug outside the events routes", () => {
  test("answers 500 INTERNAL with no details, is heard by onInternalError and counted in /metrics", async () => {
    const { app, broker, internalErrors } = await createTestApp();
    const bug = new TypeError("health exploded at /srv/secret/path.ts:3");
    broker.health = () => {
      throw bug;
    };
    const response = await request(app, "/healthz");
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: "internal server error" } });
    expect(text).not.toContain("/srv");
    expect(internalErrors).toEqual([bug]);
    // /metrics reads the broker's health too: restore it to read the count.
    broker.health = () => ({ ok: true, detail: "fake" });
    expect(await metric(app, "events_internal_errors_total")).toBe(1);
  });
});

describe("the other routes", () => {
  test("/ answers a fallback page when no web client is served", async () => {
    const { app } = await createTestApp();
    const response = await request(app, "/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });

  test("/healthz answers 200 ok, then 503 degraded when the broker cannot store, then shutting-down", async () => {
    const { app, broker, shutdown } = await createTestApp();
    const ok = await request(app, "/healthz");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "ok", broker: { ok: true }, clients: 0 });
    broker.failPublish(new Error("down"));
    const degraded = await request(app, "/healthz");
    expect(degraded.status).toBe(503);
    expect(await degraded.json()).toMatchObject({ status: "degraded", broker: { ok: false } });
    broker.failPublish(undefined);
    shutdown.abort();
    const closing = await request(app, "/healthz");
    expect(closing.status).toBe(503);
    expect(await closing.json()).toMatchObject({ status: "shutting-down" });
  });

  test("/metrics answers the Prometheus text format with every server metric", async () => {
    const { app } = await createTestApp();
    const response = await request(app, "/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of ["events_clients_connected", "events_published_total", "events_broker_up", "events_internal_errors_total"]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  test("/openapi.json names the events routes", async () => {
    const { app } = await createTestApp();
    const document = (await (await request(app, "/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/events/stream", "/events/trigger", "/healthz", "/metrics"]));
  });
});
