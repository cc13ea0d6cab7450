// POST /events/trigger through `app.handle(new Request(...))`: every status it answers.
// (400 BAD_REQUEST, a Host that cannot form a URL, needs a socket: test/bad-request.e2e.test.ts.)
import { MAX_MESSAGE_LENGTH } from "@events/contract";
import { SseError } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { createTestApp, errorOf, metric, postTrigger, request } from "../test/support/handle.ts";

const rejected = (reason: string): string => `events_triggers_rejected_total{reason="${reason}"}`;

describe("POST /events/trigger answers 200", () => {
  test("with the status line, the event id and the client count, and stores the message", async () => {
    const { app, broker } = await createTestApp();
    const response = await postTrigger(app, { message: "hello" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: "Event broadcast to 0 clients", id: "fake-1", clients: 0 });
    expect(broker.stored.map((event) => [event.event, event.data])).toEqual([["message", '{"message":"hello"}']]);
    expect(await metric(app, "events_published_total")).toBe(1);
  });

  test("through the broker's promise when it stores asynchronously", async () => {
    const { app } = await createTestApp({ fake: { sync: false } });
    expect(await (await postTrigger(app, { message: "later" })).json()).toMatchObject({ id: "fake-1" });
  });

  test("with the first event's id for a repeated Idempotency-Key, storing nothing new", async () => {
    const { app, broker } = await createTestApp();
    const first = await (await postTrigger(app, { message: "once" }, { "idempotency-key": "key-1" })).json();
    const again = await postTrigger(app, { message: "once" }, { "idempotency-key": "key-1" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    expect(broker.stored).toHaveLength(1);
    expect(broker.inputs.map((input) => input.idempotencyKey)).toEqual(["key-1", "key-1"]);
  });

  test("for application/json with charset=utf-8 and for a +json media type", async () => {
    const { app } = await createTestApp();
    for (const type of ["application/json; charset=utf-8", "application/json;charset=UTF8", "application/merge-patch+json"]) {
      expect((await postTrigger(app, { message: "x" }, { "content-type": type })).status).toBe(200);
    }
  });

  test("with the right bearer token", async () => {
    const { app } = await createTestApp({ triggerToken: "s3cret" });
    expect((await postTrigger(app, { message: "x" }, { authorization: "Bearer s3cret" })).status).toBe(200);
  });
});

describe("POST /events/trigger refuses a bad request", () => {
  test("400 INVALID_JSON for a body that is not JSON, is empty, or is not UTF-8", async () => {
    const { app } = await createTestApp();
    for (const body of ['{"message":', "", new Uint8Array([0x7b, 0xff, 0x7d])]) {
      const answer = await errorOf(
        await request(app, "/events/trigger", { method: "POST", headers: { "content-type": "application/json" }, body }),
      );
      expect({ status: answer.status, code: answer.code }).toEqual({ status: 400, code: "INVALID_JSON" });
    }
  });

  test("400 INVALID_JSON for a key written twice in one object", async () => {
    const { app, broker } = await createTestApp();
    const answer = await errorOf(await postTrigger(app, '{"message":"a","message":"b"}'));
    expect(answer).toMatchObject({ status: 400, code: "INVALID_JSON" });
    expect(answer.message).toContain('"message" more than once');
    expect(broker.inputs).toEqual([]);
  });

  test("400 INVALID_IDEMPOTENCY_KEY for a key with a space, an empty one, or one too long", async () => {
    const { app, broker } = await createTestApp();
    for (const key of ["a b", "", "k".repeat(201), "é"]) {
      const answer = await errorOf(await postTrigger(app, { message: "x" }, { "idempotency-key": key }));
      expect({ status: answer.status, code: answer.code }).toEqual({ status: 400, code: "INVALID_IDEMPOTENCY_KEY" });
    }
    expect(broker.inputs).toEqual([]);
  });

  test("401 UNAUTHORIZED with WWW-Authenticate for a missing, malformed or wrong token, before reading the body", async () => {
    const { app, broker } = await createTestApp({ triggerToken: "s3cret" });
    for (const headers of [{}, { authorization: "Basic czNjcmV0" }, { authorization: "Bearer wrong" }]) {
      // The body is not JSON: a 401 shows the token was checked before the body was read.
      const answer = await errorOf(await postTrigger(app, "not json", headers));
      expect({ status: answer.status, code: answer.code }).toEqual({ status: 401, code: "UNAUTHORIZED" });
      expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="events"');
    }
    expect(broker.inputs).toEqual([]);
  });

  test("413 PAYLOAD_TOO_LARGE from Content-Length, and from a body of unknown length as it passes the cap", async () => {
    const { app } = await createTestApp({ maxBodyBytes: 64 });
    const big = JSON.stringify({ message: "x".repeat(100) });
    expect(await errorOf(await postTrigger(app, big))).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(big.slice(i * 30, i * 30 + 30)));
        controller.close();
      },
    });
    const streamed = await request(app, "/events/trigger", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: chunks,
      duplex: "half",
    } as RequestInit);
    const answer = await errorOf(streamed);
    expect(answer).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    expect(answer.message).toContain("--max-body");
  });

  test("415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON or not UTF-8", async () => {
    const { app } = await createTestApp();
    const types = ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "application/json; charset=latin1"];
    for (const type of types) {
      const answer = await errorOf(await postTrigger(app, { message: "x" }, { "content-type": type }));
      expect({ type, status: answer.status, code: answer.code }).toEqual({ type, status: 415, code: "UNSUPPORTED_MEDIA_TYPE" });
    }
    const none = await request(app, "/events/trigger", { method: "POST", body: new Blob(['{"message":"x"}']) });
    expect(await errorOf(none)).toMatchObject({ status: 415, code: "UNSUPPORTED_MEDIA_TYPE" });
  });

  test("422 VALIDATION_FAILED naming what is wrong with the message", async () => {
    const { app, broker } = await createTestApp();
    const cases: [unknown, string][] = [
      [{}, '"message" is required'],
      [{ message: 42 }, '"message" must be a string (got a number)'],
      [{ message: "" }, '"message" must not be empty'],
      [{ message: "x", extra: 1 }, '"extra" is not a known field'],
      [{ message: "x".repeat(MAX_MESSAGE_LENGTH + 1) }, `at most ${MAX_MESSAGE_LENGTH} characters`],
      [[1, 2], "must be a JSON object"],
    ];
    for (const [body, reason] of cases) {
      const answer = await errorOf(await postTrigger(app, body));
      expect({ status: answer.status, code: answer.code }).toEqual({ status: 422, code: "VALIDATION_FAILED" });
      expect(answer.message).toContain(reason);
    }
    expect(broker.inputs).toEqual([]);
  });
});

describe("POST /events/trigger when the broker refuses", () => {
  for (const sync of [true, false]) {
    test(`503 BROKER_UNAVAILABLE and PUBLISH_UNCONFIRMED with Retry-After (${sync ? "publishSync" : "publish"})`, async () => {
      const { app, broker } = await createTestApp({ fake: { sync } });
      broker.failPublish(new SseError("BROKER_UNAVAILABLE", "redis is down"));
      const down = await errorOf(await postTrigger(app, { message: "x" }));
      expect(down).toMatchObject({ status: 503, code: "BROKER_UNAVAILABLE" });
      expect(down.message).toContain("not stored");
      expect(down.headers.get("retry-after")).toBe("1");
      broker.failPublish(new SseError("PUBLISH_UNCONFIRMED", "timed out"));
      const unknown = await errorOf(await postTrigger(app, { message: "x" }, { "idempotency-key": "k" }));
      expect(unknown).toMatchObject({ status: 503, code: "PUBLISH_UNCONFIRMED" });
      expect(unknown.message).toContain("same Idempotency-Key");
      expect(unknown.headers.get("retry-after")).toBe("1");
    });
  }

  test("500 INTERNAL with no details for a bug, heard by onInternalError and counted", async () => {
    const { app, broker, internalErrors } = await createTestApp();
    const bug = new TypeError("cannot read properties of undefined (reading 'secret') at /srv/app.ts:12");
    broker.failPublish(bug);
    const response = await postTrigger(app, { message: "x" });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: "internal server error" } });
    expect(text).not.toContain("secret");
    expect(text).not.toContain("/srv");
    expect(internalErrors).toEqual([bug]);
    expect(await metric(app, "events_internal_errors_total")).toBe(1);
  });
});

describe("/metrics counts refused triggers", () => {
  test("by error code, trigger rejections only", async () => {
    const { app, broker } = await createTestApp({ triggerToken: "t" });
    const auth = { authorization: "Bearer t" };
    await postTrigger(app, { message: "x" });
    await postTrigger(app, { message: "x" }, { authorization: "Bearer nope" });
    await postTrigger(app, "{", auth);
    await postTrigger(app, { message: "" }, auth);
    await postTrigger(app, { message: "x" }, { ...auth, "content-type": "text/plain" });
    broker.failPublish(new SseError("BROKER_UNAVAILABLE", "down"));
    await postTrigger(app, { message: "x" }, auth);
    // Refusals of other routes are not trigger rejections.
    await request(app, "/nope");
    await request(app, "/events/trigger", { method: "DELETE" });
    const counted = {
      UNAUTHORIZED: await metric(app, rejected("UNAUTHORIZED")),
      INVALID_JSON: await metric(app, rejected("INVALID_JSON")),
      VALIDATION_FAILED: await metric(app, rejected("VALIDATION_FAILED")),
      UNSUPPORTED_MEDIA_TYPE: await metric(app, rejected("UNSUPPORTED_MEDIA_TYPE")),
      BROKER_UNAVAILABLE: await metric(app, rejected("BROKER_UNAVAILABLE")),
      NOT_FOUND: await metric(app, rejected("NOT_FOUND")),
      METHOD_NOT_ALLOWED: await metric(app, rejected("METHOD_NOT_ALLOWED")),
    };
    expect(counted).toEqual({
      UNAUTHORIZED: 2,
      INVALID_JSON: 1,
      VALIDATION_FAILED: 1,
      UNSUPPORTED_MEDIA_TYPE: 1,
      BROKER_UNAVAILABLE: 1,
      NOT_FOUND: undefined,
      METHOD_NOT_ALLOWED: undefined,
    });
    expect(await metric(app, "events_published_total")).toBe(0);
  });
});
