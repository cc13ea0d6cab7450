// The host's own routes behave as the host wrote them, with the events plugin mounted: its
// page, health check, sign-in, validation, errors and 404s are the host's; the plugin adds
// its routes beside them and guards none of the host's.
import { describe, expect, test } from "vitest";
import { jsonRequest, request } from "./test-support/requests.ts";
import { testShop } from "./test-support/test-shop.ts";

describe("the shop's own routes, with the events plugin mounted", () => {
  test("serves the host's page and health check, not the plugin's", async () => {
    const shop = testShop();
    const page = await request(shop.app, "/");
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain('new EventSource("/events/stream?topic="');
    expect(await (await request(shop.app, "/healthz")).json()).toEqual({ status: "ok" });
    shop.close();
  });

  test("answers /api/* without a known session with the host's own 401, before the route runs", async () => {
    const shop = testShop();
    for (const user of [undefined, "mallory"]) {
      const response = await jsonRequest(shop.app, "POST", "/api/orders", { item: "tea", quantity: 1 }, user);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "sign in first: send x-session: alice | bob" });
    }
    expect(shop.store.get("1")).toBeUndefined();
    shop.close();
  });

  test("never asks a host route for the plugin's publish token", async () => {
    const shop = testShop({ publishToken: "s3cret" });
    const created = await jsonRequest(shop.app, "POST", "/api/orders", { item: "tea", quantity: 1 }, "alice");
    expect(created.status).toBe(201);
    const publish = await jsonRequest(shop.app, "POST", "/events/publish", { topic: "orders/1", event: "order.updated", data: {} }, "alice");
    expect(publish.status).toBe(401);
    expect(await publish.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    shop.close();
  });

  test("places, reads and changes an order of the signed-in customer", async () => {
    const shop = testShop();
    const created = await jsonRequest(shop.app, "POST", "/api/orders", { item: "tea", quantity: 2 }, "alice");
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ id: "1", customer: "alice", item: "tea", quantity: 2, status: "placed", updatedAt: expect.any(String) });
    const paid = await jsonRequest(shop.app, "PATCH", "/api/orders/1", { status: "paid" }, "alice");
    expect(await paid.json()).toMatchObject({ id: "1", status: "paid" });
    const read = await request(shop.app, "/api/orders/1", { headers: { "x-session": "alice" } });
    expect(await read.json()).toMatchObject({ id: "1", status: "paid" });
    shop.close();
  });

  test("hides another customer's order behind the host's 404", async () => {
    const shop = testShop();
    await jsonRequest(shop.app, "POST", "/api/orders", { item: "tea", quantity: 2 }, "alice");
    const read = await request(shop.app, "/api/orders/1", { headers: { "x-session": "bob" } });
    expect(read.status).toBe(404);
    expect(await read.json()).toEqual({ error: "no such order" });
    const change = await jsonRequest(shop.app, "PATCH", "/api/orders/1", { status: "cancelled" }, "bob");
    expect(change.status).toBe(404);
    expect(shop.store.get("1")?.status).toBe("placed");
    shop.close();
  });

  test("answers the host's 409 for a change the order cannot take, and Elysia's 422 for a body its schema refuses", async () => {
    const shop = testShop();
    await jsonRequest(shop.app, "POST", "/api/orders", { item: "tea", quantity: 2 }, "alice");
    await jsonRequest(shop.app, "PATCH", "/api/orders/1", { status: "cancelled" }, "alice");
    const again = await jsonRequest(shop.app, "PATCH", "/api/orders/1", { status: "paid" }, "alice");
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: "an order that is cancelled cannot become paid" });
    const shipped = await jsonRequest(shop.app, "PATCH", "/api/orders/1", { status: "shipped" }, "alice");
    expect(shipped.status).toBe(422);
    const none = await jsonRequest(shop.app, "POST", "/api/orders", { item: "tea", quantity: 0 }, "alice");
    expect(none.status).toBe(422);
    shop.close();
  });

  test("leaves unknown paths to the host's 404, and serves the plugin's stream without the host's sign-in", async () => {
    const shop = testShop();
    expect((await request(shop.app, "/nowhere")).status).toBe(404);
    expect((await request(shop.app, "/api/nowhere", { headers: { "x-session": "alice" } })).status).toBe(404);
    const stream = await request(shop.app, "/events/stream?topic=orders/1");
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    await stream.body?.cancel();
    shop.close();
  });
});
