// Auth on a real server (sockets, real tokens): a stream ends at its token's expiry and resumes
// with a fresh token losing nothing; CORS credentials and the CSRF rule of the cookie as a
// browser meets them; query tokens; one token on two nodes sharing Redis.
import { RedisBroker } from "@events/redis-broker";
import { describe, expect, test } from "vitest";
import { bearer, signTestToken, TEST_JWT_SECRET } from "./support/auth-token.ts";
import { REDIS_URL, skipWithoutRedis } from "./support/redis.ts";
import { openStream, publish, withServer } from "./support/server.ts";

const redisMissing = await skipWithoutRedis("the auth tests on two Redis nodes");

const AUTH = { jwtSecret: TEST_JWT_SECRET };

/** The `data` of the `order` events a stream got, in order. */
function ordersOf(events: readonly { type: string; data: string }[]): string[] {
  return events.filter((event) => event.type === "order").map((event) => JSON.parse(event.data) as string);
}

describe("a stream's token expiry", () => {
  test("ends the stream with auth-expired; a fresh token and Last-Event-ID resume with exactly the events in between", async () => {
    await withServer(AUTH, async (url) => {
      const writer = bearer(await signTestToken({ publish: ["orders/*"] }));
      const send = async (data: string): Promise<void> => {
        expect((await publish(url, { topic: "orders/1", event: "order", data }, writer)).status).toBe(200);
      };
      const shortLived = await signTestToken({ subscribe: ["orders/*"], expiresInSeconds: 2 });
      const first = await openStream(url, { query: "?topic=orders/*", headers: bearer(shortLived) });
      expect(first.response.status).toBe(200);
      await first.waitForEvents("connected", 1);
      await send("a");
      await send("b");
      await first.waitForEvents("order", 2);
      const [expired] = await first.waitForEvents("auth-expired", 1, 5000);
      expect(await first.closed).toBe("ended");
      expect(JSON.parse(expired!.data)).toEqual({ message: "token expired; reconnect with a fresh token", expiredAt: expect.any(String) });
      // No id on auth-expired: the client's cursor is the last event it got.
      const cursor = expired!.lastEventId;
      expect(cursor).toBe(first.events.filter((event) => event.type === "order")[1]!.lastEventId);
      expect(ordersOf(first.events)).toEqual(["a", "b"]);

      await send("c");
      await send("d");
      const fresh = await signTestToken({ subscribe: ["orders/*"] });
      const resumed = await openStream(url, { query: "?topic=orders/*", headers: bearer(fresh), lastEventId: cursor });
      try {
        await resumed.waitForEvents("order", 2);
        await send("e");
        await resumed.waitForEvents("order", 3);
        expect(ordersOf(resumed.events)).toEqual(["c", "d", "e"]);
      } finally {
        resumed.close();
      }
    });
  }, 20_000);
});

describe("the auth cookie across origins", () => {
  test("gives a disallowed origin no CORS header (so its page cannot read the stream), an allowed one credentials", async () => {
    await withServer({ ...AUTH, corsOrigins: ["https://app.example"] }, async (url) => {
      const cookie = `events_token=${await signTestToken({ subscribe: ["orders/*"] })}`;
      const from = async (origin: string) => {
        const stream = await openStream(url, { query: "?topic=orders/1", headers: { cookie, origin } });
        stream.close();
        return stream.response.headers;
      };
      const disallowed = await from("https://evil.example");
      expect(disallowed.get("access-control-allow-origin")).toBeNull();
      expect(disallowed.get("access-control-allow-credentials")).toBeNull();
      const allowed = await from("https://app.example");
      expect(allowed.get("access-control-allow-origin")).toBe("https://app.example");
      expect(allowed.get("access-control-allow-credentials")).toBe("true");
    });
  });

  test("refuses a cookie-authenticated cross-site publish (CSRF) and accepts a same-origin one", async () => {
    await withServer({ ...AUTH, corsOrigins: ["https://app.example"] }, async (url) => {
      const cookie = `events_token=${await signTestToken({ publish: ["orders/*"] })}`;
      const body = { topic: "orders/1", event: "order", data: "x" };
      const crossSite = await publish(url, body, { cookie, origin: "https://evil.example" });
      expect(crossSite.status).toBe(403);
      expect(crossSite.body.error?.code).toBe("CSRF_REJECTED");
      expect((await publish(url, body, { cookie, origin: url.origin })).status).toBe(200);
      expect((await publish(url, body, { cookie, origin: "https://app.example" })).status).toBe(200);
    });
  });
});

describe("query tokens", () => {
  test("answer 401 while off, and open the stream when --allow-query-token is on", async () => {
    const token = await signTestToken({ subscribe: ["orders/*"] });
    await withServer(AUTH, async (url) => {
      const refused = await fetch(new URL(`/events/stream?topic=orders/1&access_token=${token}`, url));
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
    });
    await withServer({ ...AUTH, allowQueryToken: true }, async (url) => {
      const stream = await openStream(url, { query: `?topic=orders/1&access_token=${token}` });
      try {
        expect(stream.response.status).toBe(200);
        await stream.waitForEvents("connected", 1);
      } finally {
        stream.close();
      }
    });
  });
});

describe("one token on two nodes sharing Redis", () => {
  test.skipIf(redisMissing)("a stream opened on node B with the token gets node A's publish", async () => {
    const streamKey = `events:test:auth:${Date.now()}:${Math.random().toString(36).slice(2)}`;
    const brokerA = new RedisBroker({ url: REDIS_URL, streamKey, historySize: 100 });
    const brokerB = new RedisBroker({ url: REDIS_URL, streamKey, historySize: 100 });
    const token = await signTestToken({ subscribe: ["orders/*"], publish: ["orders/*"] });
    try {
      await withServer(AUTH, async (nodeA) => {
        await withServer(AUTH, async (nodeB) => {
          const stream = await openStream(nodeB, { query: "?topic=orders/*", headers: bearer(token) });
          try {
            expect(stream.response.status).toBe(200);
            await stream.waitForEvents("connected", 1);
            expect((await publish(nodeA, { topic: "orders/7", event: "order", data: "from-a" }, bearer(token))).status).toBe(200);
            expect((await publish(nodeA, { topic: "users/7", event: "order", data: "other" }, bearer(token))).status).toBe(403);
            await stream.waitForEvents("order", 1);
            expect(ordersOf(stream.events)).toEqual(["from-a"]);
          } finally {
            stream.close();
          }
          const forbidden = await fetch(new URL("/events/stream?topic=users/*", nodeB), { headers: bearer(token) });
          expect(forbidden.status).toBe(403);
          await forbidden.body?.cancel();
        }, { broker: brokerB });
      }, { broker: brokerA });
    } finally {
      await Promise.all([brokerA.close(), brokerB.close()]);
    }
  }, 30_000);
});
