// GET and HEAD /events/stream with auth on, through `app.handle`: who may open which topics,
// replay and live filtered by the token, and the stream's end at the token's expiry.
import { MemoryBroker } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { bearer, signTestToken, TEST_JWT_SECRET } from "../test/support/auth-token.ts";
import { createTestApp, errorOf, request } from "../test/support/handle.ts";
import { firstEvents, streamReader } from "../test/support/stream-body.ts";
import { createApp } from "./app.ts";
import { eventsPlugin } from "./plugins/events-plugin.ts";

const AUTH = { jwtSecret: TEST_JWT_SECRET };

async function streamAs(app: { handle(request: Request): Promise<Response> }, query: string, token: string | undefined, init: RequestInit = {}) {
  return request(app, `/events/stream${query}`, { ...init, headers: { ...(token === undefined ? {} : bearer(token)), ...(init.headers as Record<string, string>) } });
}

describe("GET /events/stream with auth on", () => {
  test("answers 401 UNAUTHORIZED with a Bearer challenge without a token", async () => {
    const { app } = await createTestApp(AUTH);
    const refused = await errorOf(await streamAs(app, "?topic=orders/42", undefined));
    expect(refused).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="events"');
  });

  test("answers 401 INVALID_TOKEN for a token signed with another secret, never echoing it", async () => {
    const { app } = await createTestApp(AUTH);
    const forged = await signTestToken({ subscribe: ["*"], secret: "another-secret-of-at-least-32-bytes!!" });
    const refused = await errorOf(await streamAs(app, "?topic=orders/42", forged));
    expect(refused).toMatchObject({ status: 401, code: "INVALID_TOKEN" });
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(refused.message).not.toContain(forged);
  });

  test("opens a topic the token covers, and refuses a wider pattern with 403 naming it", async () => {
    const { app } = await createTestApp(AUTH);
    const token = await signTestToken({ subscribe: ["orders/42"] });
    const open = await streamAs(app, "?topic=orders/42", token);
    expect(open.status).toBe(200);
    await firstEvents(open, 1);
    const wider = await errorOf(await streamAs(app, "?topic=orders/*", token));
    expect(wider).toMatchObject({ status: 403, code: "FORBIDDEN_TOPIC" });
    expect(wider.message).toContain('"orders/*"');
  });

  test("refuses * to a token of orders/*, and a list with one uncovered topic", async () => {
    const { app } = await createTestApp(AUTH);
    const token = await signTestToken({ subscribe: ["orders/*"] });
    expect(await errorOf(await streamAs(app, "?topic=*", token))).toMatchObject({ status: 403, code: "FORBIDDEN_TOPIC" });
    const mixed = await errorOf(await streamAs(app, "?topic=orders/1&topic=users/7", token));
    expect(mixed).toMatchObject({ status: 403, code: "FORBIDDEN_TOPIC" });
    expect(mixed.message).toContain('"users/7"');
  });

  test("counts the default topic as a topic: closed unless the token or --public-topics has it", async () => {
    const closed = await createTestApp(AUTH);
    expect((await errorOf(await streamAs(closed.app, "", undefined))).status).toBe(401);
    expect((await errorOf(await streamAs(closed.app, "", await signTestToken({ subscribe: ["orders/*"] })))).code).toBe("FORBIDDEN_TOPIC");
    const open = await createTestApp({ ...AUTH, publicTopics: ["events"] });
    const response = await streamAs(open.app, "", undefined);
    expect(response.status).toBe(200);
    expect((await firstEvents(response, 1)).events[0]?.type).toBe("connected");
  });

  test("answers 400 for a bad topic before the permission check, as without auth", async () => {
    const { app } = await createTestApp(AUTH);
    const token = await signTestToken({ subscribe: ["*"] });
    expect(await errorOf(await streamAs(app, "?topic=a//b", token))).toMatchObject({ status: 400, code: "INVALID_TOPIC_PATTERN" });
  });

  test("gives HEAD the same answer as GET, without opening a stream", async () => {
    const { app } = await createTestApp(AUTH);
    const token = await signTestToken({ subscribe: ["orders/42"] });
    const head = (query: string, headers: Record<string, string>) => request(app, `/events/stream${query}`, { method: "HEAD", headers });
    expect((await head("?topic=orders/42", {})).status).toBe(401);
    expect((await head("?topic=orders/*", bearer(token))).status).toBe(403);
    const ok = await head("?topic=orders/42", bearer(token));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("text/event-stream");
  });

  test("takes the token from ?access_token= only when allowed", async () => {
    const token = await signTestToken({ subscribe: ["orders/*"] });
    const off = await createTestApp(AUTH);
    expect(await errorOf(await streamAs(off.app, `?topic=orders/1&access_token=${token}`, undefined))).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    const on = await createTestApp({ ...AUTH, allowQueryToken: true });
    const response = await streamAs(on.app, `?topic=orders/1&access_token=${token}`, undefined);
    expect(response.status).toBe(200);
    await firstEvents(response, 1);
  });

  test("takes the token from the auth cookie", async () => {
    const { app } = await createTestApp({ ...AUTH, authCookie: "sid" });
    const token = await signTestToken({ subscribe: ["orders/*"] });
    const response = await request(app, "/events/stream?topic=orders/1", { headers: { cookie: `theme=dark; sid=${token}` } });
    expect(response.status).toBe(200);
    await firstEvents(response, 1);
  });
});

describe("replay and live with auth on", () => {
  test("a token of orders/* following orders/* never gets another topic's event, live or replayed", async () => {
    const shutdown = new AbortController();
    const broker = new MemoryBroker();
    const app = await createApp({ ...AUTH, webRoot: false, keepAliveMs: false, broker, signal: shutdown.signal });
    const first = broker.publishSync({ event: "order.updated", data: '"o1"', topics: ["orders/1"] });
    broker.publishSync({ event: "user.updated", data: '"u7"', topics: ["users/7"] });
    broker.publishSync({ event: "order.updated", data: '"o2"', topics: ["orders/2"] });
    const token = await signTestToken({ subscribe: ["orders/*"] });
    const stream = streamReader(await streamAs(app, "?topic=orders/*", token, { headers: { "last-event-id": first.id } }));
    broker.publishSync({ event: "user.updated", data: '"u7-live"', topics: ["users/7"] });
    broker.publishSync({ event: "order.updated", data: '"o3"', topics: ["orders/3"] });
    await stream.readUntil(3);
    await stream.cancel();
    expect(stream.events.map((event) => [event.type, event.data])).toEqual([
      ["connected", expect.any(String)],
      ["order.updated", '"o2"'],
      ["order.updated", '"o3"'],
    ]);
    shutdown.abort();
  });
});

describe("a stream's end at its grant's expiry", () => {
  test("writes auth-expired (no id, the expiry as ISO) and ends", async () => {
    // A grant ending 50 ms from now, through the plugin's authorize hook (the standalone server has none).
    const expiresAtMs = Date.now() + 50;
    const shutdown = new AbortController();
    const plugin = eventsPlugin({
      broker: new MemoryBroker(),
      signal: shutdown.signal,
      keepAliveMs: false,
      authorize: () => ({ subscribe: ["orders/*"], publish: [], expiresAtMs }),
    });
    const stream = streamReader(await request(plugin, "/events/stream?topic=orders/1"));
    const ended = await stream.readUntil(3);
    expect(ended).toBe(true);
    expect(stream.events.map((event) => event.type)).toEqual(["connected", "auth-expired"]);
    const last = stream.events[1]!;
    expect(last.lastEventId).toBe(stream.events[0]!.lastEventId);
    expect(JSON.parse(last.data)).toEqual({ message: "token expired; reconnect with a fresh token", expiredAt: new Date(expiresAtMs).toISOString() });
    shutdown.abort();
  });
});
