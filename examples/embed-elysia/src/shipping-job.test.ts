// The shipping job publishes from outside any request, through the plugin's publisher.
import { describe, expect, test } from "vitest";
import { follow, jsonRequest } from "./test-support/requests.ts";
import { testShop } from "./test-support/test-shop.ts";

describe("the shipping job", () => {
  test("ships every paid order and publishes order.updated for each, outside any request", async () => {
    const shop = testShop();
    for (const item of ["tea", "cups", "pot"]) await jsonRequest(shop.app, "POST", "/api/orders", { item, quantity: 1 }, "alice");
    await jsonRequest(shop.app, "PATCH", "/api/orders/1", { status: "paid" }, "alice");
    await jsonRequest(shop.app, "PATCH", "/api/orders/3", { status: "paid" }, "alice");
    const one = await follow(shop.app, "orders/1");
    const three = await follow(shop.app, "orders/3");

    const shipped = await shop.job.runOnce();

    expect(shipped.map((order) => order.id)).toEqual(["1", "3"]);
    for (const [stream, id] of [[one, "1"], [three, "3"]] as const) {
      const event = await stream.next();
      expect([event.type, event.topic, JSON.parse(event.data)]).toEqual(["order.updated", `orders/${id}`, expect.objectContaining({ id, status: "shipped" })]);
    }
    expect(shop.store.get("2")?.status).toBe("placed");
    expect(await shop.job.runOnce()).toEqual([]);
    await Promise.all([one.cancel(), three.cancel()]);
    shop.close();
  });

  test("runs on its interval until stopped", async () => {
    const shop = testShop();
    await jsonRequest(shop.app, "POST", "/api/orders", { item: "tea", quantity: 1 }, "alice");
    await jsonRequest(shop.app, "PATCH", "/api/orders/1", { status: "paid" }, "alice");
    const stream = await follow(shop.app, "orders/1");
    const stop = shop.job.start(10);
    expect(JSON.parse((await stream.next()).data)).toMatchObject({ status: "shipped" });
    stop();
    await stream.cancel();
    shop.close();
  });
});
