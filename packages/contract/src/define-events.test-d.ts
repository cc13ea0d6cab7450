// Type tests: compiled by `tsc -p tsconfig.json` (the package's `typecheck`, part of
// `bun run check`), never run. An unused `@ts-expect-error` fails the compile, so every line
// below that must not compile is proven not to.
import { Type } from "@sinclair/typebox";
import {
  type ContractStreamEvent,
  defineEvents,
  type EventData,
  type EventName,
  type EventTopic,
  goaEvents,
  type TopicOfPattern,
} from "./index.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<_T extends true>(): void {}

const shop = defineEvents({
  "order.updated": {
    data: Type.Object({ id: Type.String(), status: Type.Union([Type.Literal("paid"), Type.Literal("shipped")]) }),
    topics: ["orders/*"],
  },
  "chat.message": Type.Object({ text: Type.String() }),
  "room.exact": { data: Type.Number(), topics: ["rooms/lobby", "rooms/vip/*"] },
});
type Shop = typeof shop;

assertType<Equal<EventName<Shop>, "order.updated" | "chat.message" | "room.exact">>();
assertType<Equal<EventData<Shop, "order.updated">, { id: string; status: "paid" | "shipped" }>>();
assertType<Equal<EventData<Shop, "chat.message">, { text: string }>>();
assertType<Equal<EventTopic<Shop, "order.updated">, `orders/${string}`>>();
assertType<Equal<EventTopic<Shop, "chat.message">, string>>();
assertType<Equal<EventTopic<Shop, "room.exact">, "rooms/lobby" | `rooms/vip/${string}`>>();
assertType<Equal<TopicOfPattern<"*">, string>>();

const paid: EventData<Shop, "order.updated"> = { id: "42", status: "paid" };
// @ts-expect-error "lost" is not a status of order.updated
const lost: EventData<Shop, "order.updated"> = { id: "42", status: "lost" };
// @ts-expect-error order.updated may be published to orders/* only
const wrongTopic: EventTopic<Shop, "order.updated"> = "users/7";
const rightTopic: EventTopic<Shop, "order.updated"> = "orders/42";
// @ts-expect-error no such event type
type Missing = EventData<Shop, "order.deleted">;

assertType<Equal<EventName<typeof goaEvents>, "message">>();
assertType<Equal<EventData<typeof goaEvents, "message">, { message: string }>>();

// The stream's union narrows on `type`.
function narrow(event: ContractStreamEvent<Shop>): string {
  switch (event.type) {
    case "order.updated":
      return `${event.topic} ${event.data.status}`;
    case "chat.message":
      return event.data.text;
    case "room.exact":
      return event.data.toFixed(0);
    case "connected":
      return String(event.data.clients);
    case "gap":
      return event.data.reason;
  }
}

void [paid, lost, wrongTopic, rightTopic, narrow];
export type { Missing };

// A contract extends another: its normalised definitions (topics: undefined included) are inputs too.
const extended = defineEvents({ ...shop.events, "chat.typing": Type.Object({ who: Type.String() }) });
assertType<Equal<EventTopic<typeof extended, "chat.message">, string>>();
assertType<Equal<EventTopic<typeof extended, "order.updated">, `orders/${string}`>>();
assertType<Equal<EventData<typeof extended, "chat.typing">, { who: string }>>();
