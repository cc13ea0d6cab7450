// Type tests: compiled by `tsc -p tsconfig.json` (the package's `typecheck` script and
// test/typecheck.test.ts), never run. An unused `@ts-expect-error` fails the compile, so
// every line below that must not compile is proven not to.
import type { Treaty } from "@elysiajs/eden/treaty2";
import type { StreamEventPayloads } from "@events/contract";
import type { App, StreamEventPayloads as ServerStreamEventPayloads } from "@events/server";
import {
  createEventsClient,
  type EventStream,
  type PublishInput,
  type PublishResponse,
  type StreamEvent,
  type StreamStatus,
  type TriggerResponse,
  type UntypedStreamEvent,
} from "./index.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<_T extends true>(): void {}

const client = createEventsClient("http://localhost:8080", { token: "t" });

// trigger takes a string, nothing else.
// @ts-expect-error a number is not a message
void client.trigger(42);
// @ts-expect-error the body object is built by the SDK
void client.trigger({ message: "hello" });
// @ts-expect-error a message is required
void client.trigger();
assertType<Equal<Awaited<ReturnType<typeof client.trigger>>, TriggerResponse>>();
assertType<Equal<TriggerResponse, { status: string; id: string; clients: number }>>();

// publish takes exactly one of topic and topics, and data of any type.
void client.publish({ topic: "orders/42", event: "order.updated", data: { total: 12 } });
void client.publish({ topics: ["a", "b"], data: null });
// @ts-expect-error not both topic and topics
void client.publish({ topic: "a", topics: ["b"], data: 1 });
// @ts-expect-error a topic or topics is required
void client.publish({ data: 1 });
// @ts-expect-error data is required (null for none)
void client.publish({ topic: "a" });
void client.trigger("hi", { topic: "rooms/7" });
assertType<Equal<Awaited<ReturnType<typeof client.publish>>, PublishResponse>>();
assertType<Equal<PublishResponse, { id: string; topics: string[]; clients: number }>>();

// Events narrow on `type`, with payloads from the contract.
export async function narrowing(stream: EventStream): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of stream) {
    assertType<Equal<typeof event.id, string>>();
    assertType<Equal<typeof event.topic, string>>();
    if (event.type === "message") {
      assertType<Equal<typeof event.data.message, string>>();
      // @ts-expect-error a message event has no client count
      void event.data.clients;
      seen.push(event.data.message);
    } else if (event.type === "connected") {
      assertType<Equal<typeof event.data.clients, number>>();
    } else {
      assertType<Equal<typeof event.type, "gap">>();
      assertType<Equal<typeof event.data.oldestId, string | null>>();
      assertType<Equal<typeof event.data.reason, "too-old" | "other-epoch" | "malformed" | "unknown">>();
    }
  }
  return seen;
}
assertType<Equal<StreamEvent["type"], keyof StreamEventPayloads>>();
assertType<Equal<Extract<StreamEvent, { type: "gap" }>["data"], StreamEventPayloads["gap"]>>();
// @ts-expect-error "tick" is not an event type of the contract
export const unknownType: StreamEvent["type"] = "tick";

// Without `events` a stream yields exactly the contract's events; callbacks keep their types.
const plain = client.stream({ topics: ["orders/42", "users/7/*"], onStatus: (status) => assertType<Equal<typeof status, StreamStatus>>() });
assertType<Equal<typeof plain, EventStream<StreamEvent>>>();
const noOptions = client.stream();
assertType<Equal<typeof noOptions, EventStream<StreamEvent>>>();

// `events` adds the listed names as untyped events, and narrowing on the contract's types still works.
export async function listedEvents(): Promise<void> {
  for await (const event of client.stream({ topics: ["orders/42"], events: ["order.updated", "message"] })) {
    if (event.type === "order.updated") {
      assertType<Equal<typeof event, UntypedStreamEvent<"order.updated">>>();
      assertType<Equal<typeof event.data, unknown>>();
    } else if (event.type === "message") {
      assertType<Equal<typeof event.data.message, string>>();
    } else {
      assertType<Equal<typeof event.type, "connected" | "gap">>();
    }
  }
}
// `events: "all"`: any type may arrive, so a type string no longer narrows to the contract's payload.
const everything = client.stream({ events: "all" });
assertType<Equal<typeof everything, EventStream<StreamEvent | UntypedStreamEvent<string>>>>();
// @ts-expect-error topics is a list of names and patterns
void client.stream({ topics: "orders/42" });

// The server serves the very contract the SDK is typed by.
assertType<Equal<ServerStreamEventPayloads, StreamEventPayloads>>();

// The SDK's public types agree with Eden's view of the App.
type EdenTriggerPost = Treaty.Create<App>["events"]["trigger"]["post"];
assertType<Equal<Parameters<EdenTriggerPost>[0], { message: string; topic?: string }>>();
type EdenTriggerData = NonNullable<Awaited<ReturnType<EdenTriggerPost>>["data"]>;
assertType<Equal<EdenTriggerData, TriggerResponse>>();

type EdenPublishPost = Treaty.Create<App>["events"]["publish"]["post"];
type EdenPublishData = NonNullable<Awaited<ReturnType<EdenPublishPost>>["data"]>;
assertType<Equal<EdenPublishData, PublishResponse>>();
// Every input the SDK accepts is a body Eden accepts (topics copied to a mutable array on the way).
export function publishBody(input: PublishInput): Parameters<EdenPublishPost>[0] {
  const { topics, ...rest } = input;
  return topics === undefined ? rest : { ...rest, topics: [...topics] };
}
