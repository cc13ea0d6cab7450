// Type tests: compiled by `tsc -p tsconfig.json` (the package's `typecheck` script and
// test/typecheck.test.ts), never run. An unused `@ts-expect-error` fails the compile, so
// every line below that must not compile is proven not to.
import type { Treaty } from "@elysiajs/eden/treaty2";
import type { StreamEventPayloads } from "@events/contract";
import type { App } from "@events/server";
import {
  createEventsClient,
  type ContractEvent,
  type EventDataOf,
  type EventNameOf,
  type EventStream,
  type PublishBodyOf,
  type PublishInputOf,
  type PublishResponse,
  type StreamConnectedEvent,
  type StreamEventOf,
  type StreamGapEvent,
  type StreamStatus,
  type TriggerResponse,
  type UnknownStreamEvent,
  type UntypedStreamEvent,
} from "./index.ts";
import type { FixtureApp, GoaApp, PrefixedApp } from "./test-support/fixture-app.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<_T extends true>(): void {}

type OrderUpdated = { id: string; status: "paid" | "shipped" };
type ChatMessage = { text: string; at: number };

// ---- The contract, read from the App's publish route.
assertType<Equal<EventNameOf<FixtureApp>, "message" | "order.updated" | "chat.message">>();
assertType<Equal<EventDataOf<FixtureApp, "order.updated">, OrderUpdated>>();
assertType<Equal<EventNameOf<PrefixedApp, "/rt/live">, "message" | "order.updated" | "chat.message">>();
assertType<Equal<EventNameOf<GoaApp>, "message">>();
// At the wrong prefix there is no publish route: no contract event.
assertType<Equal<EventNameOf<PrefixedApp>, never>>();

// ---- The yielded union: the contract's events, connected, gap and unknown; equal, not just assignable.
type FixtureEvent =
  | StreamConnectedEvent
  | StreamGapEvent
  | ContractEvent<"message", { message: string }>
  | ContractEvent<"order.updated", OrderUpdated, `orders/${string}`>
  | ContractEvent<"chat.message", ChatMessage>
  | UnknownStreamEvent;
assertType<Equal<StreamEventOf<FixtureApp>, FixtureEvent>>();
assertType<Equal<StreamEventOf<FixtureApp, "/events", "skip">, Exclude<FixtureEvent, UnknownStreamEvent>>>();
assertType<Equal<StreamConnectedEvent["data"], StreamEventPayloads["connected"]>>();
assertType<Equal<StreamGapEvent["data"], StreamEventPayloads["gap"]>>();

const typed = createEventsClient<FixtureApp>("http://localhost:3000", { token: "t" });
const stream = typed.stream({ topics: ["orders/42", "chat/*"], onStatus: (status) => assertType<Equal<typeof status, StreamStatus>>() });
assertType<Equal<typeof stream, EventStream<FixtureEvent>>>();
assertType<Equal<ReturnType<typeof typed.stream<"skip">>, EventStream<Exclude<FixtureEvent, UnknownStreamEvent>>>>();

export async function narrowing(): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of stream) {
    assertType<Equal<typeof event.id, string>>();
    if (event.unknown) {
      assertType<Equal<typeof event, UnknownStreamEvent>>();
      assertType<Equal<typeof event.raw, string>>();
      continue;
    }
    switch (event.type) {
      case "order.updated":
        assertType<Equal<typeof event.data.status, "paid" | "shipped">>();
        assertType<Equal<typeof event.topic, `orders/${string}`>>();
        seen.push(event.data.id);
        break;
      case "chat.message":
        assertType<Equal<typeof event.data, ChatMessage>>();
        // @ts-expect-error a chat message has no status
        void event.data.status;
        break;
      case "message":
        seen.push(event.data.message);
        break;
      case "connected":
        assertType<Equal<typeof event.data.clients, number>>();
        break;
      default:
        assertType<Equal<typeof event.type, "gap">>();
    }
  }
  return seen;
}

// With onUnknownEvent: "skip", `type` narrows at once.
export async function skipping(): Promise<void> {
  for await (const event of typed.stream({ onUnknownEvent: "skip" })) {
    if (event.type === "order.updated") assertType<Equal<typeof event.data, OrderUpdated>>();
  }
}
// @ts-expect-error onUnknownEvent is "yield" or "skip"
void typed.stream({ onUnknownEvent: "drop" });
// @ts-expect-error topics is a list of names and patterns
void typed.stream({ topics: "orders/42" });

// ---- publish is typed by event name.
void typed.publish({ topic: "orders/42", event: "order.updated", data: { id: "42", status: "paid" } });
void typed.publish({ topics: ["orders/1", "orders/2"], event: "order.updated", data: { id: "1", status: "shipped" } });
void typed.publish({ topic: "rooms/7", event: "chat.message", data: { text: "hi", at: 1 } });
// `message` may leave `event` out.
void typed.publish({ topic: "rooms/7", data: { message: "hello" } });
void typed.publish({ topic: "rooms/7", event: "message", data: { message: "hello" } });
// @ts-expect-error a wrong payload: status is "paid" or "shipped"
void typed.publish({ topic: "orders/42", event: "order.updated", data: { id: "42", status: "lost" } });
// @ts-expect-error a wrong payload: id is missing
void typed.publish({ topic: "orders/42", event: "order.updated", data: { status: "paid" } });
// @ts-expect-error a wrong event name
void typed.publish({ topic: "orders/42", event: "order.deleted", data: { id: "42" } });
// @ts-expect-error a wrong topic for an event restricted to orders/*
void typed.publish({ topic: "rooms/7", event: "order.updated", data: { id: "42", status: "paid" } });
// @ts-expect-error a wrong topic among several
void typed.publish({ topics: ["orders/1", "users/1"], event: "order.updated", data: { id: "1", status: "paid" } });
// @ts-expect-error only message may leave event out
void typed.publish({ topic: "orders/42", data: { id: "42", status: "paid" } });
// @ts-expect-error not both topic and topics
void typed.publish({ topic: "a", topics: ["b"], data: { message: "x" } });
// @ts-expect-error data is required
void typed.publish({ topic: "a", event: "message" });
assertType<Equal<Awaited<ReturnType<typeof typed.publish>>, PublishResponse>>();
// ---- An array publishes a batch: each item typed as the single form, one answer each.
const batch = typed.publish([
  { topic: "orders/42", event: "order.updated", data: { id: "42", status: "paid" } },
  { topic: "rooms/7", data: { message: "hello" } },
]);
assertType<Equal<Awaited<typeof batch>, PublishResponse[]>>();
// @ts-expect-error a wrong payload in one item of a batch
void typed.publish([{ topic: "rooms/7", data: { message: "hello" } }, { topic: "orders/42", event: "order.updated", data: { id: "42", status: "lost" } }]);
assertType<Equal<PublishResponse, { id: string; topics: string[]; clients: number }>>();

// knownEvents names only the App's events.
createEventsClient<FixtureApp>("http://h", { knownEvents: ["order.updated", "message"] });
// @ts-expect-error "order.deleted" is not an event of the App
createEventsClient<FixtureApp>("http://h", { knownEvents: ["order.deleted"] });

// ---- The prefix finds the routes in the type too.
const prefixed = createEventsClient<PrefixedApp, "/rt/live">("http://h", { prefix: "/rt/live" });
void prefixed.publish({ topic: "orders/1", event: "order.updated", data: { id: "1", status: "paid" } });
assertType<Equal<ReturnType<typeof prefixed.stream>, EventStream<FixtureEvent>>>();
// @ts-expect-error an explicit App with another prefix needs it as the second type argument too
createEventsClient<PrefixedApp>("http://h", { prefix: "/rt/live" });

// ---- A Goa App: only message, whose event may be left out.
const goa = createEventsClient<GoaApp>("http://h");
void goa.publish({ topic: "events", data: { message: "hi" } });
// @ts-expect-error the Goa contract has no order.updated
void goa.publish({ topic: "events", event: "order.updated", data: { message: "hi" } });

// ---- Without an App: any event name, any data, untyped events.
const untyped = createEventsClient("http://localhost:8080", { token: "t" });
void untyped.publish({ topic: "orders/42", event: "order.updated", data: { total: 12 } });
void untyped.publish({ topics: ["a", "b"], data: null });
// @ts-expect-error a topic or topics is required
void untyped.publish({ data: 1 });
assertType<Equal<ReturnType<typeof untyped.stream>, EventStream<StreamConnectedEvent | StreamGapEvent | UntypedStreamEvent>>>();
assertType<Equal<PublishInputOf<unknown>, Parameters<typeof untyped.publish>[0]>>();
// The CLI's view of a stream: every event has type, id, topic and data.
export const cliView: EventStream<{ readonly type: string; readonly id: string; readonly topic: string; readonly data: unknown }> = untyped.stream({
  events: "all",
});
// A prefix is inferred when there is no explicit App.
assertType<Equal<typeof createEventsClient<unknown, "/rt">, (baseUrl: string, options?: import("./options.ts").EventsClientOptions<unknown, "/rt">) => import("./client.ts").EventsClient<unknown, "/rt">>>();

// trigger takes a string, nothing else.
// @ts-expect-error a number is not a message
void untyped.trigger(42);
// @ts-expect-error a message is required
void untyped.trigger();
void untyped.trigger("hi", { topic: "rooms/7" });
assertType<Equal<Awaited<ReturnType<typeof untyped.trigger>>, TriggerResponse>>();

// ---- The SDK's reading of an App agrees with Eden's view of it.
type EdenFixturePublishBody = Parameters<Treaty.Create<FixtureApp>["events"]["publish"]["post"]>[0];
assertType<Equal<EdenFixturePublishBody, PublishBodyOf<FixtureApp>>>();
// The standalone server's App: its trigger and publish answers are the SDK's.
type EdenTriggerPost = Treaty.Create<App>["events"]["trigger"]["post"];
assertType<Equal<NonNullable<Awaited<ReturnType<EdenTriggerPost>>["data"]>, TriggerResponse>>();
type EdenPublishPost = Treaty.Create<App>["events"]["publish"]["post"];
assertType<Equal<NonNullable<Awaited<ReturnType<EdenPublishPost>>["data"]>, PublishResponse>>();
// Every input the SDK accepts for the server's App is a body Eden accepts (topics copied to a mutable array).
export function publishBody(input: PublishInputOf<App>): Parameters<EdenPublishPost>[0] {
  const { topics, ...rest } = input;
  return topics === undefined ? rest : { ...rest, topics: [...topics] };
}

// ---- The real plugin's App (a host app with eventsPlugin under /live) reads the same way.
type ShopApp = import("../test/fixtures/shop-app.ts").ShopApp;
assertType<Equal<EventNameOf<ShopApp, "/live">, "order.updated" | "chat.message" | "message">>();
assertType<Equal<EventDataOf<ShopApp, "order.updated", "/live">, OrderUpdated>>();
assertType<Equal<Extract<StreamEventOf<ShopApp, "/live">, { type: "order.updated" }>["topic"], `orders/${string}`>>();
const shop = createEventsClient<ShopApp, "/live">("http://h", { prefix: "/live" });
void shop.publish({ topic: "chat/1", data: { message: "hi" } });
// @ts-expect-error the real plugin's route: a wrong payload
void shop.publish({ topic: "orders/1", event: "order.updated", data: { id: "1", status: "lost" } });
// @ts-expect-error the real plugin's route: a topic outside orders/*
void shop.publish({ topic: "rooms/1", event: "order.updated", data: { id: "1", status: "paid" } });
