// POST /events/publish with a JSON array (a batch), through `app.handle(new Request(...))`.
import { MemoryBroker } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { events as shopEvents } from "../test/fixtures/shop-events.ts";
import { createTestApp, errorOf, metric, request } from "../test/support/handle.ts";
import { streamReader } from "../test/support/stream-body.ts";
import { signToken, TEST_SECRET } from "./test-support/auth-tokens.ts";

type Handler = { handle(request: Request): Promise<Response> };

function postPublish(app: Handler, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return request(app, "/events/publish", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** An app on a MemoryBroker (which stores batches), with what a test inspects. */
async function memoryApp(options: Parameters<typeof createTestApp>[0] = {}) {
  const broker = new MemoryBroker();
  const { app } = await createTestApp({ broker, ...options });
  return { app, broker };
}

describe("POST /events/publish with an array", () => {
  test("stores every event and answers the single answers in order", async () => {
    const { app, broker } = await memoryApp();
    const stream = streamReader(await request(app, "/events/stream?topic=a"));
    await stream.readUntil(1);
    const response = await postPublish(app, [
      { topic: "a", event: "first", data: { n: 1 } },
      { topics: ["b", "a"], data: 2 },
      { topic: "c", data: null },
    ]);
    expect(response.status).toBe(200);
    const answers = (await response.json()) as { id: string; topics: string[]; clients: number }[];
    expect(answers.map(({ topics, clients }) => ({ topics, clients }))).toEqual([
      { topics: ["a"], clients: 1 },
      { topics: ["b", "a"], clients: 1 },
      { topics: ["c"], clients: 0 },
    ]);
    expect(broker.historyLength).toBe(4);
    await stream.readUntil(3);
    expect(stream.events.slice(1).map((event) => [event.type, event.data, event.lastEventId])).toEqual([
      ["first", '{"n":1}', answers[0]?.id],
      ["message", "2", answers[1]?.id],
    ]);
    expect(await metric(app, "events_publishes_total")).toBe(3);
    await stream.cancel();
  });

  test("refuses a bad item naming its index, and stores none of the batch", async () => {
    const { app, broker } = await memoryApp();
    const cases: [unknown[], number, string, string][] = [
      [[{ topic: "a", data: 1 }, { topic: "a/*", data: 2 }], 400, "INVALID_TOPIC", "batch item 1: "],
      [[{ topic: "a", data: 1 }, { topic: "a", event: "connected", data: 2 }], 400, "INVALID_EVENT_NAME", "batch item 1: "],
      [[{ topic: "a", data: 1 }, { topic: "a", data: 2 }, { topic: "a" }], 422, "VALIDATION_FAILED", 'batch item 2: "data" is required'],
      [[{ topic: "a", data: 1 }, "text"], 422, "VALIDATION_FAILED", "batch item 1: "],
    ];
    for (const [body, status, code, message] of cases) {
      const refused = await errorOf(await postPublish(app, body));
      expect([refused.status, refused.code]).toEqual([status, code]);
      expect(refused.message.startsWith(message)).toBe(true);
    }
    expect(broker.historyLength).toBe(0);
  });

  test("holds every item to the app's contract, naming the item's JSON path", async () => {
    const { app, broker } = await memoryApp({ events: shopEvents });
    const refused = await errorOf(
      await postPublish(app, [
        { topic: "orders/1", event: "order.updated", data: { id: "1", status: "paid" } },
        { topic: "rooms/1", event: "chat.message", data: { text: "hi" } },
        { topic: "orders/2", event: "order.updated", data: { id: "2", status: "lost" } },
      ]),
    );
    expect([refused.status, refused.code]).toEqual([422, "VALIDATION_FAILED"]);
    expect(refused.message).toContain("/2/data/status");
    expect(broker.historyLength).toBe(0);
  });

  test("refuses an empty array and one longer than --max-batch with 422, naming the flag", async () => {
    const { app } = await memoryApp({ maxBatch: 3 });
    const empty = await errorOf(await postPublish(app, []));
    expect([empty.status, empty.code]).toEqual([422, "VALIDATION_FAILED"]);
    const long = await errorOf(await postPublish(app, Array.from({ length: 4 }, (_, index) => ({ topic: "a", data: index }))));
    expect([long.status, long.code]).toEqual([422, "VALIDATION_FAILED"]);
    expect(long.message).toContain("1 to 3 events (got 4, server flag --max-batch)");
    expect((await postPublish(app, Array.from({ length: 3 }, (_, index) => ({ topic: "a", data: index })))).status).toBe(200);
  });

  test("refuses an Idempotency-Key on a batch with 400, storing nothing", async () => {
    const { app, broker } = await memoryApp();
    const refused = await errorOf(await postPublish(app, [{ topic: "a", data: 1 }], { "idempotency-key": "k1" }));
    expect([refused.status, refused.code]).toEqual([400, "INVALID_IDEMPOTENCY_KEY"]);
    expect(broker.historyLength).toBe(0);
  });

  test("keeps --max-body for the whole array", async () => {
    const { app } = await memoryApp({ maxBodyBytes: 256 });
    const refused = await errorOf(await postPublish(app, Array.from({ length: 20 }, (_, index) => ({ topic: "a", data: index }))));
    expect([refused.status, refused.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
  });

  test("with auth on, checks every item's topics against the token: 403 naming the item, nothing stored", async () => {
    const { app, broker } = await memoryApp({ jwtSecret: TEST_SECRET });
    const token = await signToken({ events: { publish: ["orders/*"] } }, TEST_SECRET);
    const bearer = (jwt: string): Record<string, string> => ({ authorization: `Bearer ${jwt}` });
    const refused = await errorOf(await postPublish(app, [{ topic: "orders/1", data: 1 }, { topic: "users/1", data: 2 }], bearer(token)));
    expect([refused.status, refused.code]).toEqual([403, "FORBIDDEN_TOPIC"]);
    expect(refused.message).toMatch(/^batch item 1: /);
    expect(broker.historyLength).toBe(0);
    expect((await postPublish(app, [{ topic: "orders/1", data: 1 }, { topic: "orders/2", data: 2 }], bearer(token))).status).toBe(200);
    expect(broker.historyLength).toBe(2);
  });

  test("answers 400 on a broker that cannot store a batch atomically", async () => {
    const { app, broker } = await createTestApp();
    const refused = await errorOf(await postPublish(app, [{ topic: "a", data: 1 }]));
    expect([refused.status, refused.code]).toEqual([400, "BAD_REQUEST"]);
    expect(broker.stored).toEqual([]);
  });

  test("documents the array form in /openapi.json", async () => {
    const { app } = await memoryApp();
    const document = (await (await request(app, "/openapi.json")).json()) as {
      paths: Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: { anyOf?: { type?: string; maxItems?: number }[] } }> } } }>;
    };
    const schema = document.paths["/events/publish"]?.post?.requestBody?.content?.["application/json"]?.schema;
    expect(schema?.anyOf?.some((member) => member.type === "array" && member.maxItems === 100)).toBe(true);
  });
});
