// Topics on GET /events/stream and POST /events/trigger through `app.handle(new Request(...))`:
// the subscription handed to the broker, the topic field on the wire, every bad topic list.
import { MemoryBroker } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { createTestApp, errorOf, metric, postTrigger, request } from "../test/support/handle.ts";
import { firstEvents, streamReader } from "../test/support/stream-body.ts";

function postPublish(app: { handle(request: Request): Promise<Response> }, body: unknown): Promise<Response> {
  return request(app, "/events/publish", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

describe("GET /events/stream with topics", () => {
  test("hands the repeated topic parameters to the broker as sent, duplicates removed", async () => {
    const { app, broker } = await createTestApp();
    await firstEvents(await request(app, "/events/stream?topic=orders/42&topic=users/7/*&topic=orders/42&lastEventId=x"), 1);
    expect(broker.subscribes).toEqual([{ lastEventId: "x", topics: ["orders/42", "users/7/*"] }]);
  });

  test("decodes percent-encoded topics", async () => {
    const { app, broker } = await createTestApp();
    await firstEvents(await request(app, "/events/stream?topic=orders%2F42&topic=%2A"), 1);
    expect(broker.subscribes[0]?.topics).toEqual(["orders/42", "*"]);
  });

  test("writes a topic: line on the events of a topic, none on the default topic's", async () => {
    const { app } = await createTestApp({ broker: new MemoryBroker() });
    const stream = streamReader(await request(app, "/events/stream?topic=orders/*&topic=events"));
    await stream.readUntil(1);
    await postPublish(app, { topic: "orders/42", event: "order.updated", data: { n: 1 } });
    await postTrigger(app, { message: "hi" });
    await stream.readUntil(3);
    await stream.cancel();
    expect(stream.events.slice(1).map(({ type, topic, data }) => ({ type, topic, data }))).toEqual([
      { type: "order.updated", topic: "orders/42", data: '{"n":1}' },
      { type: "message", topic: undefined, data: '{"message":"hi"}' },
    ]);
  });

  const badPatterns: [string, string][] = [
    ["?topic=", "1 to 200 characters"],
    ["?topic=a&topic=", "1 to 200 characters"],
    ["?topic=a/**", '"a/**"'],
    ["?topic=a*", '"a*"'],
    ["?topic=caf%C3%A9", '"café"'],
    ["?topic=a//b", '"a//b"'],
    ["?topic=/*", '"/*"'],
    ["?topic=a,b", '"a,b"'],
  ];
  for (const [query, named] of badPatterns) {
    test(`answers 400 INVALID_TOPIC_PATTERN naming the value for ${query}`, async () => {
      const { app, broker } = await createTestApp();
      const answer = await errorOf(await request(app, `/events/stream${query}`));
      expect({ status: answer.status, code: answer.code }).toEqual({ status: 400, code: "INVALID_TOPIC_PATTERN" });
      expect(answer.message).toContain(named);
      expect(broker.subscribes).toEqual([]);
      expect(await metric(app, "events_clients_connected")).toBe(0);
    });
  }

  test("answers 400 TOO_MANY_TOPICS past --max-topics (32 by default)", async () => {
    const query = (count: number): string => Array.from({ length: count }, (_, i) => `topic=t${i}`).join("&");
    const { app } = await createTestApp();
    const answer = await errorOf(await request(app, `/events/stream?${query(33)}`));
    expect({ status: answer.status, code: answer.code }).toEqual({ status: 400, code: "TOO_MANY_TOPICS" });
    expect(answer.message).toContain("at most 32 topics and patterns (got 33, server flag --max-topics)");
    await firstEvents(await request(app, `/events/stream?${query(32)}`), 1);
    const small = await createTestApp({ maxTopics: 2 });
    expect((await errorOf(await request(small.app, `/events/stream?${query(3)}`))).code).toBe("TOO_MANY_TOPICS");
  });
});

describe("the default topic", () => {
  test("is what a stream without topics follows and a trigger without one publishes to, unnamed on the wire", async () => {
    const { app, broker } = await createTestApp();
    await firstEvents(await request(app, "/events/stream"), 1);
    await postTrigger(app, { message: "x" });
    expect(broker.subscribes).toEqual([{ lastEventId: undefined }]);
    expect(broker.inputs).toEqual([{ event: "message", data: '{"message":"x"}' }]);
  });

  test("can be another topic (--default-topic), still written without a topic: line", async () => {
    const custom = await createTestApp({ defaultTopic: "news", broker: new MemoryBroker() });
    const stream = streamReader(await request(custom.app, "/events/stream"));
    await stream.readUntil(1);
    expect(await (await postTrigger(custom.app, { message: "x" })).json()).toMatchObject({ clients: 1 });
    await postPublish(custom.app, { topic: "events", data: 1 });
    await postPublish(custom.app, { topic: "news", data: 2 });
    await stream.readUntil(3);
    await stream.cancel();
    expect(stream.events.slice(1).map(({ data, topic }) => ({ data, topic }))).toEqual([
      { data: '{"message":"x"}', topic: undefined },
      { data: "2", topic: undefined },
    ]);
  });
});

describe("POST /events/trigger with a topic", () => {
  test("publishes the message to that topic and counts the streams following it", async () => {
    const { app, broker } = await createTestApp();
    const stream = streamReader(await request(app, "/events/stream?topic=rooms/*"));
    await stream.readUntil(1);
    const answer = await (await postTrigger(app, { message: "hi", topic: "rooms/1" })).json();
    expect(answer).toMatchObject({ status: "Event broadcast to 1 clients", clients: 1 });
    expect(broker.inputs).toEqual([{ event: "message", data: '{"message":"hi"}', topics: ["rooms/1"] }]);
    await stream.readUntil(2);
    await stream.cancel();
    expect(stream.events[1]).toMatchObject({ type: "message", topic: "rooms/1", data: '{"message":"hi"}' });
  });

  test("answers 400 INVALID_TOPIC for a pattern or a bad name, storing nothing", async () => {
    const { app, broker } = await createTestApp();
    for (const topic of ["rooms/*", "*", "", "a b"]) {
      const answer = await errorOf(await postTrigger(app, { message: "hi", topic }));
      expect({ status: answer.status, code: answer.code }).toEqual({ status: 400, code: "INVALID_TOPIC" });
    }
    expect(broker.inputs).toEqual([]);
    expect(await metric(app, 'events_triggers_rejected_total{reason="INVALID_TOPIC"}')).toBe(4);
  });
});

describe("topic metrics and documentation", () => {
  test("/metrics reads retained topics and topic evictions from the broker, with no per-topic labels", async () => {
    const { app } = await createTestApp({ broker: new MemoryBroker({ maxRetainedTopics: 2 }) });
    for (const topic of ["a", "b", "c", "d"]) await postPublish(app, { topic, data: 1 });
    expect(await metric(app, "events_retained_topics")).toBe(2);
    expect(await metric(app, "events_topic_evictions_total")).toBe(2);
    const text = await (await request(app, "/metrics")).text();
    expect(text).not.toMatch(/topic="/);
  });

  test("/metrics leaves the topic figures out for a broker that has none", async () => {
    const { app } = await createTestApp();
    expect(await metric(app, "events_retained_topics")).toBeUndefined();
  });

  test("/openapi.json documents POST /events/publish and the stream's topic parameter", async () => {
    const { app } = await createTestApp();
    const document = (await (await request(app, "/openapi.json")).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>>;
    };
    expect(document.paths["/events/publish"]?.post?.requestBody).toBeDefined();
    expect(document.paths["/events/stream"]?.get?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "topic", in: "query" })]));
  });
});
