// Each write of the host's orders API publishes `order.updated` to `orders/<id>` through the
// context's `events`; followers of that order get it, followers of another order do not.
import { EventsPublishError } from "@events/server";
import { describe, expect, test } from "vitest";
import type { OrderUpdated } from "./events.ts";
import { follow, jsonRequest } from "./test-support/requests.ts";
import { testShop } from "./test-support/test-shop.ts";

describe("live order updates from the host's routes", () => {
  test("publishes order.updated to orders/<id> after placing and after paying an order", async () => {
    const shop = testShop();
    const first = await jsonRequest(shop.app, "POST", "/api/orders", { item: "tea", quantity: 2 }, "alice");
    expect(first.status).toBe(201);
    const stream = await follow(shop.app, "orders/2");
    const other = await follow(shop.app, "orders/1");

    await jsonRequest(shop.app, "POST", "/api/orders", { item: "cups", quantity: 6 }, "bob");
    await jsonRequest(shop.app, "PATCH", "/api/orders/2", { status: "paid" }, "bob");

    const placed = await stream.next();
    const paid = await stream.next();
    expect([placed.type, placed.topic, paid.type, paid.topic]).toEqual(["order.updated", "orders/2", "order.updated", "orders/2"]);
    const placedData: OrderUpdated = JSON.parse(placed.data);
    expect(placedData).toEqual({ id: "2", item: "cups", quantity: 6, status: "placed", updatedAt: expect.any(String) });
    expect(JSON.parse(paid.data)).toMatchObject({ id: "2", status: "paid" });

    // The follower of order 1 sees only order 1's next change.
    await jsonRequest(shop.app, "PATCH", "/api/orders/1", { status: "cancelled" }, "alice");
    const cancelled = await other.next();
    expect([cancelled.topic, JSON.parse(cancelled.data).status]).toEqual(["orders/1", "cancelled"]);
    await Promise.all([stream.cancel(), other.cancel()]);
    shop.close();
  });

  test("publishes nothing for a write the host refused", async () => {
    const shop = testShop();
    await jsonRequest(shop.app, "POST", "/api/orders", { item: "tea", quantity: 2 }, "alice");
    const stream = await follow(shop.app, "orders/1");
    expect((await jsonRequest(shop.app, "PATCH", "/api/orders/1", { status: "paid" }, "bob")).status).toBe(404);
    expect((await jsonRequest(shop.app, "PATCH", "/api/orders/1", { status: "paid" }, undefined)).status).toBe(401);
    expect((await jsonRequest(shop.app, "PATCH", "/api/orders/1", { status: "cancelled" }, "alice")).status).toBe(200);
    expect(JSON.parse((await stream.next()).data)).toMatchObject({ status: "cancelled" });
    await stream.cancel();
    shop.close();
  });

  test("refuses a payload outside the contract from the host's own code with a typed error naming the path", async () => {
    const shop = testShop();
    const stream = await follow(shop.app, "orders/1");
    const wrong = { id: "1", item: "tea", quantity: 1, status: "lost", updatedAt: "now" };
    const error = await shop.live.publisher
      // @ts-expect-error the compiler refuses it too (types.test-d.ts has the full set)
      .publish("orders/1", "order.updated", wrong)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EventsPublishError);
    expect(error).toMatchObject({ code: "VALIDATION_FAILED", path: "/status" });
    const topic = await shop.live.publisher
      .publish("users/1" as "orders/1", "order.updated", { ...wrong, status: "paid" })
      .catch((caught: unknown) => caught);
    expect(topic).toMatchObject({ code: "INVALID_TOPIC" });
    // Nothing was published: the next event is the next valid one.
    await shop.live.publisher.publish("orders/1", "order.updated", { ...wrong, status: "paid" });
    expect(JSON.parse((await stream.next()).data)).toMatchObject({ status: "paid" });
    await stream.cancel();
    shop.close();
  });
});
