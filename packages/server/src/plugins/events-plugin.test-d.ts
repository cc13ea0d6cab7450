// Type tests: compiled by `tsc -p tsconfig.json` (the package's `typecheck`), never run. An
// unused `@ts-expect-error` fails the compile, so every line marked with one is proven not to compile.
import { Elysia } from "elysia";
import { events as shopEvents } from "../../test/fixtures/shop-events.ts";
import { createApp } from "../app.ts";
import { eventsPlugin } from "./events-plugin.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<_T extends true>(): void {}

const plugin = eventsPlugin({ events: shopEvents });

async function publishes(): Promise<void> {
  await plugin.publisher.publish("orders/42", "order.updated", { id: "42", status: "paid" });
  await plugin.publisher.publish(["orders/42", "orders/43"], "order.updated", { id: "42", status: "shipped" });
  await plugin.publisher.publish("rooms/1", "chat.message", { text: "hi" });
  // @ts-expect-error "lost" is not a status of order.updated
  await plugin.publisher.publish("orders/42", "order.updated", { id: "42", status: "lost" });
  // @ts-expect-error order.updated data needs an id
  await plugin.publisher.publish("orders/42", "order.updated", { status: "paid" });
  // @ts-expect-error "order.deleted" is not an event of the contract
  await plugin.publisher.publish("orders/42", "order.deleted", { id: "42" });
  // @ts-expect-error order.updated may be published to orders/* only
  await plugin.publisher.publish("users/7", "order.updated", { id: "42", status: "paid" });
  // @ts-expect-error chat.message data is { text }
  await plugin.publisher.publish("rooms/1", "chat.message", { message: "hi" });
}
void publishes;

async function publishesBatch(): Promise<void> {
  const answers = await plugin.publisher.publishBatch([
    { topic: "orders/42", event: "order.updated", data: { id: "42", status: "paid" } },
    { topic: ["rooms/1", "rooms/2"], event: "chat.message", data: { text: "hi" } },
  ]);
  assertType<Equal<typeof answers, { id: string; topics: string[]; clients: number }[]>>();
  // @ts-expect-error each item's data is its own event's: chat.message data is { text }
  await plugin.publisher.publishBatch([{ topic: "rooms/1", event: "chat.message", data: { id: "42", status: "paid" } }]);
  // @ts-expect-error each item's topics are its own event's: order.updated may be published to orders/* only
  await plugin.publisher.publishBatch([{ topic: "rooms/1", event: "order.updated", data: { id: "42", status: "paid" } }]);
}
void publishesBatch;

// ctx.events inside a host route is the same typed publisher.
const host = new Elysia().use(plugin).post("/api/orders/:id", async ({ params, events }) => {
  assertType<Equal<typeof events, typeof plugin.publisher>>();
  const answer = await events.publish(`orders/${params.id}`, "order.updated", { id: params.id, status: "paid" });
  assertType<Equal<typeof answer, { id: string; topics: string[]; clients: number }>>();
  // @ts-expect-error a wrong payload inside a host route
  await events.publish(`orders/${params.id}`, "order.updated", { id: params.id, status: 1 });
  return answer;
});

// The publish route's body is the contract's union: event name → data, and the topics each may take.
type PublishBody = (typeof host)["~Routes"]["events"]["publish"]["post"]["body"];
type OrderBody = Extract<PublishBody, { event: "order.updated" }>;
assertType<Equal<OrderBody["data"], { id: string; status: "paid" | "shipped" }>>();
assertType<Equal<NonNullable<OrderBody["topic"]>, `orders/${string}`>>();
assertType<Equal<Extract<PublishBody, { event: "chat.message" }>["data"], { text: string }>>();
assertType<Equal<PublishBody["event"], "order.updated" | "chat.message">>();
// No `message` in the contract: no trigger route.
type HostRoutes = keyof (typeof host)["~Routes"]["events"];
assertType<Equal<HostRoutes, "stream" | "publish">>();

// A prefix moves the routes, in the type too.
const prefixed = new Elysia().use(eventsPlugin({ events: shopEvents, prefix: "/api/live" }));
type PrefixedRoutes = keyof (typeof prefixed)["~Routes"]["api"]["live"];
assertType<Equal<PrefixedRoutes, "stream" | "publish">>();

// The standalone server serves the Goa contract: `message`, `event` optional, and the trigger.
type App = Awaited<ReturnType<typeof createApp>>;
type GoaBody = App["~Routes"]["events"]["publish"]["post"]["body"];
assertType<Equal<GoaBody["data"], { message: string }>>();
assertType<Equal<GoaBody["event"], "message" | undefined>>();
assertType<Equal<App["~Routes"]["events"]["trigger"]["post"]["body"], { message: string; topic?: string }>>();
