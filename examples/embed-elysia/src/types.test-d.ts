// Type tests: compiled by the package's `typecheck` (tsc), never run. An unused
// `@ts-expect-error` fails the compile, so each line marked with one is proven not to compile:
// the host's code cannot publish what the contract does not allow, and a typed client of the
// shop's `App` gets `order.updated` with its data typed.
import { createEventsClient, type EventDataOf, type EventNameOf } from "@events/client-sdk";
import type { App } from "./app.ts";
import { createShop } from "./app.ts";
import type { OrderUpdated } from "./events.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<_T extends true>(): void {}

const { live } = createShop();
const update: OrderUpdated = { id: "1", item: "tea", quantity: 2, status: "paid", updatedAt: "2026-12-06T00:00:00.000Z" };

export async function publishFromHostCode(): Promise<void> {
  await live.publisher.publish("orders/1", "order.updated", update);
  // @ts-expect-error a status the contract does not have
  await live.publisher.publish("orders/1", "order.updated", { ...update, status: "lost" });
  // @ts-expect-error a field missing from the payload
  await live.publisher.publish("orders/1", "order.updated", { id: "1", status: "paid" });
  // @ts-expect-error an event name the contract does not have
  await live.publisher.publish("orders/1", "order.deleted", update);
  // @ts-expect-error a topic outside order.updated's patterns (orders/*)
  await live.publisher.publish("users/1", "order.updated", update);
}

// The SDK reads the contract from the App's publish route.
assertType<Equal<EventNameOf<App>, "order.updated">>();
assertType<Equal<EventDataOf<App, "order.updated">, OrderUpdated>>();

const client = createEventsClient<App>("http://localhost:3000");

export async function followOneOrder(): Promise<OrderUpdated["status"][]> {
  const statuses: OrderUpdated["status"][] = [];
  for await (const event of client.stream({ topics: ["orders/1"] })) {
    // A type the contract does not name arrives as unknown (`unknown: true`, `data: unknown`).
    if (event.unknown) continue;
    if (event.type === "order.updated") {
      assertType<Equal<typeof event.data, OrderUpdated>>();
      assertType<Equal<typeof event.topic, `orders/${string}`>>();
      statuses.push(event.data.status);
    }
  }
  return statuses;
}

export async function publishOverHttp(): Promise<void> {
  await client.publish({ topic: "orders/1", event: "order.updated", data: update });
  // @ts-expect-error a wrong payload does not compile on the client either
  await client.publish({ topic: "orders/1", event: "order.updated", data: { ...update, quantity: "2" } });
  // @ts-expect-error nor a topic outside the event's patterns
  await client.publish({ topic: "users/1", event: "order.updated", data: update });
}
