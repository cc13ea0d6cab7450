import { type Broker, MemoryBroker, type PublishInput } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { events as shopEvents } from "../../../test/fixtures/shop-events.ts";
import { FakeBroker } from "../../../test/support/fake-broker.ts";
import { HttpError } from "../../errors.ts";
import { createContractCheck } from "./contract-checker.ts";
import { EventsService } from "./service.ts";

/** A service on `broker` with small limits and no keepalive. */
function serviceOn(broker: Broker): EventsService {
  return new EventsService({ broker, keepAlive: false, retryMs: 1000, maxClients: 10, maxBufferBytes: 1 << 20, signal: new AbortController().signal });
}

/** The HttpError a call throws (or its promise rejects with); fails the test otherwise. */
async function refusal(call: () => unknown): Promise<HttpError> {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    return error as HttpError;
  }
  throw new Error("expected a refusal");
}

/** The memory broker with only its promise form of publishBatch (as Redis and Postgres have). */
function asyncBroker(memory: MemoryBroker): Broker {
  return {
    publish: (input: PublishInput) => memory.publish(input),
    publishBatch: (inputs: readonly PublishInput[]) => memory.publishBatch(inputs),
    subscribe: (handlers, options) => memory.subscribe(handlers, options),
    get subscriberCount() {
      return memory.subscriberCount;
    },
    health: () => memory.health(),
    close: () => memory.close(),
  };
}

describe("EventsService.publishBatch", () => {
  test("answers each event's single answer, in order, counting the streams of its topics", async () => {
    const broker = new MemoryBroker();
    const service = serviceOn(broker);
    const stream = service.openStream({ topics: ["a"] });
    const answers = service.publishBatch([
      { topic: "a", data: { n: 1 } },
      { topics: ["b", "a"], event: "note", data: 2 },
      { topic: "c", data: null },
    ]);
    expect(answers).not.toBeInstanceOf(Promise);
    const list = answers as { id: string; topics: string[]; clients: number }[];
    expect(list.map(({ topics, clients }) => ({ topics, clients }))).toEqual([
      { topics: ["a"], clients: 1 },
      { topics: ["b", "a"], clients: 1 },
      { topics: ["c"], clients: 0 },
    ]);
    expect(new Set(list.map((answer) => answer.id)).size).toBe(3);
    expect(service.stats.publishes).toBe(3);
    await stream.body?.cancel();
  });

  test("answers through the broker's promise when it has no publishBatchSync", async () => {
    const service = serviceOn(asyncBroker(new MemoryBroker()));
    const answers = service.publishBatch([{ topic: "a", data: 1 }, { topic: "a", data: 2 }]);
    expect(answers).toBeInstanceOf(Promise);
    expect((await answers).map((answer) => answer.topics)).toEqual([["a"], ["a"]]);
  });

  test("refuses a bad item naming its index, and stores none of the batch", async () => {
    const broker = new MemoryBroker();
    const service = serviceOn(broker);
    const topic = await refusal(() => service.publishBatch([{ topic: "a", data: 1 }, { topic: "a/*", data: 2 }]));
    expect([topic.code, topic.path]).toEqual(["INVALID_TOPIC", "/1"]);
    expect(topic.message).toMatch(/^batch item 1: /);
    const name = await refusal(() => service.publishBatch([{ topic: "a", data: 1 }, { topic: "a", data: 2 }, { topic: "a", event: "gap", data: 3 }]));
    expect([name.code, name.path]).toEqual(["INVALID_EVENT_NAME", "/2"]);
    expect(broker.historyLength).toBe(0);
  });

  test("holds every item to the contract: the refusal names the item's JSON path", async () => {
    const broker = new MemoryBroker();
    const service = serviceOn(broker);
    const check = createContractCheck(shopEvents);
    const error = await refusal(() =>
      service.publishBatch(
        [
          { topic: "orders/1", event: "order.updated", data: { id: "1", status: "paid" } },
          { topic: "chat", event: "chat.message", data: { text: "hi" } },
          { topic: "orders/2", event: "order.updated", data: { id: "2", status: "lost" } },
        ],
        { check },
      ),
    );
    expect([error.code, error.path]).toEqual(["VALIDATION_FAILED", "/2/data/status"]);
    expect(error.message).toContain("at /2/data/status");
    expect(broker.historyLength).toBe(0);
  });

  test("asks the caller's permit for every item's topics before storing any", async () => {
    const broker = new MemoryBroker();
    const asked: string[][] = [];
    const permit = (topics: readonly string[]): void => {
      asked.push([...topics]);
      if (topics.includes("secret")) throw new HttpError("BAD_REQUEST", `may not publish to ${topics.join(",")}`);
    };
    const error = await refusal(() => serviceOn(broker).publishBatch([{ topic: "a", data: 1 }, { topics: ["b", "secret"], data: 2 }], { permit }));
    expect(error.path).toBe("/1");
    expect(asked).toEqual([["a"], ["b", "secret"]]);
    expect(broker.historyLength).toBe(0);
  });

  test("answers 503 when the broker refuses the batch, and 400 when it cannot store one atomically", async () => {
    const memory = new MemoryBroker();
    await memory.close();
    const closed = await refusal(() => serviceOn(asyncBroker(memory)).publishBatch([{ topic: "a", data: 1 }]));
    expect([closed.code, closed.status]).toEqual(["BROKER_UNAVAILABLE", 503]);
    const unable = await refusal(() => serviceOn(new FakeBroker()).publishBatch([{ topic: "a", data: 1 }]));
    expect([unable.code, unable.status]).toEqual(["BAD_REQUEST", 400]);
  });
});
