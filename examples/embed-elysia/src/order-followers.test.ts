// The shop's default: its session decides who follows which order, through the events
// plugin's `authorize` hook; the plugin answers 401 and 403 as it does for tokens.
import { describe, expect, test } from "vitest";
import { createShop } from "./app.ts";
import { follow, jsonRequest, request } from "./test-support/requests.ts";
import { testShop } from "./test-support/test-shop.ts";

async function errorCode(response: Response): Promise<[number, string]> {
  const body = (await response.json()) as { error: { code: string } };
  return [response.status, body.error.code];
}

describe("who may follow an order", () => {
  test("lets the customer follow their own order, and get its updates", async () => {
    const shop = testShop({ followers: "customer" });
    await jsonRequest(shop.app, "POST", "/api/orders", { item: "tea", quantity: 1 }, "alice");
    const stream = await follow(shop.app, "orders/1", "alice");
    await jsonRequest(shop.app, "PATCH", "/api/orders/1", { status: "paid" }, "alice");
    const paid = await stream.next();
    expect([paid.type, JSON.parse(paid.data).status]).toEqual(["order.updated", "paid"]);
    await stream.cancel();
    shop.close();
  });

  test("refuses another customer's order with 403 FORBIDDEN_TOPIC, and every order through orders/*", async () => {
    const shop = testShop({ followers: "customer" });
    await jsonRequest(shop.app, "POST", "/api/orders", { item: "tea", quantity: 1 }, "alice");
    await jsonRequest(shop.app, "POST", "/api/orders", { item: "cups", quantity: 2 }, "bob");
    const asBob = (topic: string) => request(shop.app, `/events/stream?topic=${topic}`, { headers: { "x-session": "bob" } });
    expect(await errorCode(await asBob("orders/1"))).toEqual([403, "FORBIDDEN_TOPIC"]);
    expect(await errorCode(await asBob("orders/*"))).toEqual([403, "FORBIDDEN_TOPIC"]);
    const own = await asBob("orders/2");
    expect(own.status).toBe(200);
    await own.body?.cancel();
    shop.close();
  });

  test("answers 401 to a follower without a session, and reads the page's session cookie", async () => {
    const shop = testShop({ followers: "customer" });
    await jsonRequest(shop.app, "POST", "/api/orders", { item: "tea", quantity: 1 }, "alice");
    expect(await errorCode(await request(shop.app, "/events/stream?topic=orders/1"))).toEqual([401, "UNAUTHORIZED"]);
    const byCookie = await request(shop.app, "/events/stream?topic=orders/1", { headers: { cookie: "session=alice" } });
    expect(byCookie.status).toBe(200);
    await byCookie.body?.cancel();
    shop.close();
  });

  test("lets no customer publish over HTTP, while the publish token still does", async () => {
    const shop = testShop({ followers: "customer", publishToken: "s3cret" });
    await jsonRequest(shop.app, "POST", "/api/orders", { item: "tea", quantity: 1 }, "alice");
    const update = { topic: "orders/1", event: "order.updated", data: { id: "1", item: "tea", quantity: 1, status: "shipped", updatedAt: "2026-12-06T10:00:00.000Z" } };
    expect(await errorCode(await jsonRequest(shop.app, "POST", "/events/publish", update, "alice"))).toEqual([403, "FORBIDDEN_TOPIC"]);
    expect((await jsonRequest(shop.app, "POST", "/events/publish", update, undefined, { authorization: "Bearer s3cret" })).status).toBe(200);
    shop.close();
  });

  test("is the shop's default", async () => {
    const shutdown = new AbortController();
    const shop = createShop({ signal: shutdown.signal });
    expect((await request(shop.app, "/events/stream?topic=orders/1")).status).toBe(401);
    shutdown.abort();
  });
});
