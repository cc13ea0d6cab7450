// The events module mounted in a host Elysia app with its own routes, error hook and POST
// route: the module answers and counts only its own routes' errors, the host keeps its own.
import { SseError } from "@events/sse-core";
import { Elysia } from "elysia";
import { describe, expect, test } from "vitest";
import { errorOf, postTrigger, request } from "../../../test/support/handle.ts";
import { createTestService } from "../../../test/support/test-service.ts";
import { createEventsModule } from "./index.ts";

/** The module on a fake broker, with the trigger token "tok". */
function eventsModule() {
  const { service, broker } = createTestService();
  const internalErrors: unknown[] = [];
  const module = createEventsModule({ service, maxBodyBytes: 1024, triggerToken: "tok", onInternalError: (error) => internalErrors.push(error) });
  return { module, broker, service, internalErrors };
}

const HOST_TEAPOT = 418;

/**
 * A host that mounts the module first, then adds its own error hook and routes (the order
 * app.ts uses: Elysia applies a hook only to routes added after it, and runs hooks in the
 * order they were added).
 */
function hostApp() {
  const events = eventsModule();
  const hostErrors: string[] = [];
  const app = new Elysia({ name: "host" })
    .use(events.module)
    .onError(({ code, error }) => {
      hostErrors.push(String(code));
      return new Response(`host: ${String(code)} ${error instanceof Error ? error.message : ""}`, { status: HOST_TEAPOT });
    })
    .get("/host/boom", () => {
      throw new Error("host bug");
    })
    .post("/host/things", ({ body }) => ({ stored: body }));
  return { app, hostErrors, ...events };
}

describe("the events module mounted in a host app", () => {
  test("serves its routes: a trigger with the token is stored", async () => {
    const { app, broker } = hostApp();
    const response = await postTrigger(app, { message: "hi" }, { authorization: "Bearer tok" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: "fake-1" });
    expect(broker.stored).toHaveLength(1);
  });

  test("guards only its own trigger route with the token, never the host's POST route", async () => {
    const { app, hostErrors } = hostApp();
    const host = await request(app, "/host/things", { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' });
    expect(host.status).toBe(200);
    expect(await host.json()).toEqual({ stored: { a: 1 } });
    expect(await errorOf(await postTrigger(app, { message: "x" }))).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(hostErrors).toEqual([]);
  });

  test("answers its own errors as JSON {error:{code,message}}, whatever the host's hook answers", async () => {
    const { app, broker, hostErrors, internalErrors } = hostApp();
    const auth = { authorization: "Bearer tok" };
    expect(await errorOf(await postTrigger(app, "{", auth))).toMatchObject({ status: 400, code: "INVALID_JSON" });
    expect(await errorOf(await postTrigger(app, '{"message":"a","message":"b"}', auth))).toMatchObject({ status: 400, code: "INVALID_JSON" });
    expect(await errorOf(await postTrigger(app, { message: 1 }, auth))).toMatchObject({ status: 422, code: "VALIDATION_FAILED" });
    expect(await errorOf(await postTrigger(app, { message: "x" }, { ...auth, "content-type": "text/plain" }))).toMatchObject({
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
    expect(await errorOf(await postTrigger(app, { message: "x".repeat(2000) }, auth))).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    expect(await errorOf(await postTrigger(app, { message: "x" }, { ...auth, "idempotency-key": "a b" }))).toMatchObject({
      status: 400,
      code: "INVALID_IDEMPOTENCY_KEY",
    });
    broker.failPublish(new SseError("PUBLISH_UNCONFIRMED", "timed out"));
    expect(await errorOf(await postTrigger(app, { message: "x" }, auth))).toMatchObject({ status: 503, code: "PUBLISH_UNCONFIRMED" });
    const bug = new TypeError("module bug");
    broker.failPublish(bug);
    const internal = await errorOf(await postTrigger(app, { message: "x" }, auth));
    expect(internal).toEqual(expect.objectContaining({ status: 500, code: "INTERNAL", message: "internal server error" }));
    expect(internalErrors).toEqual([bug]);
    expect(hostErrors).toEqual([]);
  });

  test("leaves the host's errors to the host: its route's bug and an unknown path", async () => {
    const { app, hostErrors, internalErrors } = hostApp();
    const boom = await request(app, "/host/boom");
    expect(boom.status).toBe(HOST_TEAPOT);
    expect(await boom.text()).toBe("host: UNKNOWN host bug");
    const missing = await request(app, "/nope");
    expect(missing.status).toBe(HOST_TEAPOT);
    expect(hostErrors).toEqual(["UNKNOWN", "NOT_FOUND"]);
    expect(internalErrors).toEqual([]);
  });

  test("never answers for a host route added before it", async () => {
    const events = eventsModule();
    const app = new Elysia({ name: "host" })
      .get("/host/boom", () => {
        throw new Error("host bug");
      })
      .use(events.module);
    const boom = await request(app, "/host/boom");
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain('"code":"INTERNAL"');
    expect(events.internalErrors).toEqual([]);
  });

  test("counts the rejections of its trigger route only", async () => {
    const { app, service } = hostApp();
    await postTrigger(app, { message: "x" });
    await postTrigger(app, "{", { authorization: "Bearer tok" });
    await request(app, "/host/boom");
    await request(app, "/nope");
    await request(app, "/host/things", { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(Object.fromEntries(service.stats.triggersRejected)).toEqual({ UNAUTHORIZED: 1, INVALID_JSON: 1 });
  });
});
