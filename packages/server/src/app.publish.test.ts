// POST /events/publish through `app.handle(new Request(...))`: every status it answers.
import { MAX_PUBLISH_TOPICS, SseError } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { createTestApp, errorOf, metric, request } from "../test/support/handle.ts";

/** `POST /events/publish` with a JSON body (a string is sent as it is) and extra headers. */
function postPublish(app: { handle(request: Request): Promise<Response> }, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return request(app, "/events/publish", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const rejected = (reason: string): string => `events_publishes_rejected_total{reason="${reason}"}`;

describe("POST /events/publish answers 200", () => {
  test("with the id, the topics and no clients for a topic nobody follows, storing data as its JSON text", async () => {
    const { app, broker } = await createTestApp();
    const response = await postPublish(app, { topic: "orders/42", event: "order.updated", data: { total: 3, lines: ["a"] } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "fake-1", topics: ["orders/42"], clients: 0 });
    expect(broker.inputs).toEqual([{ event: "order.updated", data: '{"total":3,"lines":["a"]}', topics: ["orders/42"] }]);
    expect(await metric(app, "events_publishes_total")).toBe(1);
    expect(await metric(app, "events_published_total")).toBe(0);
  });

  test("for any JSON value as data, with the event name message by default", async () => {
    const { app, broker } = await createTestApp();
    for (const data of [null, 0, "text", [1, 2], false]) {
      expect((await postPublish(app, { topic: "a", data })).status).toBe(200);
    }
    expect(broker.stored.map((event) => [event.event, event.data])).toEqual([
      ["message", "null"], ["message", "0"], ["message", '"text"'], ["message", "[1,2]"], ["message", "false"],
    ]);
  });

  test("for one event to several topics, duplicates removed, in the order given", async () => {
    const { app, broker } = await createTestApp();
    const response = await postPublish(app, { topics: ["b", "a", "b"], data: 1 });
    expect(await response.json()).toEqual({ id: "fake-1", topics: ["b", "a"], clients: 0 });
    expect(broker.stored[0]?.topics).toEqual(["b", "a"]);
  });

  test("counting the streams of this node that follow one of its topics, each once", async () => {
    const { app } = await createTestApp();
    const streams = await Promise.all(
      ["?topic=a", "?topic=a&topic=b", "?topic=b/*", "?topic=*", "", "?topic=c"].map((query) => request(app, `/events/stream${query}`)),
    );
    expect(await (await postPublish(app, { topics: ["a", "b"], data: 1 })).json()).toMatchObject({ clients: 3 });
    expect(await (await postPublish(app, { topic: "b/1", data: 1 })).json()).toMatchObject({ clients: 2 });
    expect(await (await postPublish(app, { topic: "events", data: 1 })).json()).toMatchObject({ clients: 2 });
    for (const stream of streams) await stream.body?.cancel();
    expect(await (await postPublish(app, { topic: "a", data: 1 })).json()).toMatchObject({ clients: 0 });
  });

  test("through the broker's promise when it stores asynchronously", async () => {
    const { app } = await createTestApp({ fake: { sync: false } });
    expect(await (await postPublish(app, { topic: "a", data: 1 })).json()).toEqual({ id: "fake-1", topics: ["a"], clients: 0 });
  });

  test("with the first event's id for a repeated Idempotency-Key, storing nothing new", async () => {
    const { app, broker } = await createTestApp();
    const first = await (await postPublish(app, { topic: "a", data: 1 }, { "idempotency-key": "k-1" })).json();
    const again = await postPublish(app, { topic: "a", data: 1 }, { "idempotency-key": "k-1" });
    expect(await again.json()).toEqual(first);
    expect(broker.stored).toHaveLength(1);
  });

  test("with the right bearer token when a trigger token is set", async () => {
    const { app } = await createTestApp({ triggerToken: "s3cret" });
    expect((await postPublish(app, { topic: "a", data: 1 }, { authorization: "Bearer s3cret" })).status).toBe(200);
  });
});

describe("POST /events/publish refuses a bad request", () => {
  const badTopics: [string, unknown, string][] = [
    ["a pattern", { topic: "orders/*", data: 1 }, '"orders/*"'],
    ["the all pattern in a list", { topics: ["a", "*"], data: 1 }, '"*"'],
    ["both topic and topics", { topic: "a", topics: ["b"], data: 1 }, 'not both (got topic "a"'],
    ["neither topic nor topics", { data: 1 }, "a publish names its topic"],
    ["an empty list", { topics: [], data: 1 }, "1 to 8 topics (got 0)"],
    ["more than 8 topics", { topics: Array.from({ length: MAX_PUBLISH_TOPICS + 1 }, (_, i) => `t${i}`), data: 1 }, "(got 9)"],
    ["an empty topic", { topic: "", data: 1 }, "1 to 200 characters"],
    ["a doubled slash", { topic: "a//b", data: 1 }, '"a//b"'],
    ["a non-ASCII name", { topic: "café", data: 1 }, '"café"'],
    ["a name too long", { topic: "x".repeat(201), data: 1 }, "201 characters"],
  ];
  for (const [what, body, named] of badTopics) {
    test(`400 INVALID_TOPIC naming the topic for ${what}`, async () => {
      const { app, broker } = await createTestApp();
      const answer = await errorOf(await postPublish(app, body));
      expect({ status: answer.status, code: answer.code }).toEqual({ status: 400, code: "INVALID_TOPIC" });
      expect(answer.message).toContain(named);
      expect(broker.inputs).toEqual([]);
      expect(await metric(app, rejected("INVALID_TOPIC"))).toBe(1);
    });
  }

  test("400 INVALID_EVENT_NAME for an empty name, a line break, or a name the stream itself sends", async () => {
    const { app, broker } = await createTestApp();
    for (const event of ["", "a\nb", "a\rb", "connected", "gap", "auth-expired"]) {
      const answer = await errorOf(await postPublish(app, { topic: "a", event, data: 1 }));
      expect({ status: answer.status, code: answer.code }).toEqual({ status: 400, code: "INVALID_EVENT_NAME" });
    }
    expect(broker.inputs).toEqual([]);
  });

  test("422 VALIDATION_FAILED for no data, an unknown field, or a wrong type", async () => {
    const { app } = await createTestApp();
    const cases: [unknown, string][] = [
      [{ topic: "a" }, '"data" is required'],
      [{ topic: "a", data: 1, message: "x" }, '"message" is not a known field'],
      [{ topic: 42, data: 1 }, '"topic" must be a string'],
      [{ topics: "a", data: 1 }, '"topics"'],
      [{ topic: "a", event: 1, data: 1 }, '"event" must be a string'],
      [[1], "body"],
    ];
    for (const [body, message] of cases) {
      const answer = await errorOf(await postPublish(app, body));
      expect({ status: answer.status, code: answer.code }).toEqual({ status: 422, code: "VALIDATION_FAILED" });
      expect(answer.message).toContain(message);
    }
  });

  test("400 INVALID_JSON for a body that is not JSON or repeats a key", async () => {
    const { app } = await createTestApp();
    for (const body of ['{"topic":', '{"topic":"a","topic":"b","data":1}']) {
      expect((await errorOf(await postPublish(app, body))).code).toBe("INVALID_JSON");
    }
  });

  test("413 PAYLOAD_TOO_LARGE past --max-body and 415 UNSUPPORTED_MEDIA_TYPE for a body that is not UTF-8 JSON", async () => {
    const { app } = await createTestApp({ maxBodyBytes: 64 });
    expect((await errorOf(await postPublish(app, { topic: "a", data: "x".repeat(100) }))).status).toBe(413);
    expect((await errorOf(await postPublish(app, { topic: "a", data: 1 }, { "content-type": "text/plain" }))).status).toBe(415);
    expect((await errorOf(await postPublish(app, { topic: "a", data: 1 }, { "content-type": "application/json; charset=latin1" }))).status).toBe(415);
  });

  test("400 INVALID_IDEMPOTENCY_KEY for a key with a space", async () => {
    const { app } = await createTestApp();
    expect((await errorOf(await postPublish(app, { topic: "a", data: 1 }, { "idempotency-key": "a b" }))).code).toBe("INVALID_IDEMPOTENCY_KEY");
  });

  test("401 UNAUTHORIZED without the trigger token, before reading the body", async () => {
    const { app } = await createTestApp({ triggerToken: "s3cret" });
    expect((await errorOf(await postPublish(app, "not json"))).status).toBe(401);
  });

  test("503 BROKER_UNAVAILABLE with Retry-After when the broker did not store it", async () => {
    const { app, broker } = await createTestApp();
    broker.failPublish(new SseError("BROKER_UNAVAILABLE", "redis down"));
    const answer = await errorOf(await postPublish(app, { topic: "a", data: 1 }));
    expect({ status: answer.status, code: answer.code, retry: answer.headers.get("retry-after") }).toEqual({
      status: 503, code: "BROKER_UNAVAILABLE", retry: "1",
    });
  });
});
