import { describe, expect, test } from "vitest";
import { formatEventId } from "./event-id.ts";
import { MemoryBroker } from "./memory-broker.ts";
import { resolvePublishBatch } from "./publish-batch.ts";
import { codeOf, rejectionCode } from "./test-support/errors.ts";
import type { StoredEvent } from "./types.ts";

const EPOCH = 1_764_000_000_000;

describe("MemoryBroker publishBatch", () => {
  test("stores every event with consecutive ids and answers them in input order", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    await broker.publish({ data: "before" });
    const stored = await broker.publishBatch([
      { topics: ["a"], data: "1" },
      { topics: ["b", "a"], event: "note", data: "2" },
      { data: "3" },
    ]);
    expect(stored.map((event) => event.id)).toEqual([2, 3, 4].map((sequence) => formatEventId(EPOCH, sequence)));
    expect(stored.map((event) => [event.event, event.data, event.topics])).toEqual([
      ["message", "1", ["a"]],
      ["note", "2", ["b", "a"]],
      ["message", "3", ["events"]],
    ]);
    expect(broker.historyLength).toBe(5);
  });

  test("stores nothing when one input is invalid, and the next id is unchanged", () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const delivered: string[] = [];
    void broker.subscribe({ onEvent: (event) => delivered.push(event.id) }, { topics: ["*"] });
    const bad = [
      [{ topics: ["a"], data: "1" }, { topics: ["a/*"], data: "2" }],
      [{ data: "1" }, { event: "two\nlines", data: "2" }],
      [{ data: "1" }, { topics: [], data: "2" }],
      [{ data: "1" }, { data: "2", idempotencyKey: "k" }],
    ];
    const codes = bad.map((inputs) => codeOf(() => broker.publishBatchSync(inputs)));
    expect(codes).toEqual(["INVALID_TOPIC", "INVALID_EVENT_NAME", "INVALID_TOPIC", "INVALID_OPTION"]);
    expect(broker.historyLength).toBe(0);
    expect(delivered).toEqual([]);
    expect(broker.publishSync({ data: "after" }).id).toBe(formatEventId(EPOCH, 1));
  });

  test("names the index of the input that is refused", () => {
    expect(() => resolvePublishBatch([{ data: "1" }, { data: "2" }, { topics: ["a/*"], data: "3" }])).toThrow(/^inputs\[2\]: /);
  });

  test("delivers a batch to each subscriber once per event, in order, through the topic it follows", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const seen = new Map<string, string[]>();
    for (const topics of [["a"], ["b/*"], ["a", "b/*"]]) {
      const name = topics.join("+");
      seen.set(name, []);
      await broker.subscribe({ onEvent: (event, topic) => seen.get(name)?.push(`${event.data}@${topic}`) }, { topics });
    }
    broker.publishBatchSync([
      { topics: ["a"], data: "1" },
      { topics: ["b/x"], data: "2" },
      { topics: ["b/y", "a"], data: "3" },
      { topics: ["c"], data: "4" },
    ]);
    expect(Object.fromEntries(seen)).toEqual({
      a: ["1@a", "3@a"],
      "b/*": ["2@b/x", "3@b/y"],
      "a+b/*": ["1@a", "2@b/x", "3@b/y"],
    });
  });

  test("stores the whole batch before delivering: a handler publishing meanwhile gets the next id after it", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const order: string[] = [];
    let reacted = false;
    await broker.subscribe({
      onEvent: (event) => {
        order.push(event.data);
        if (!reacted) {
          reacted = true;
          order.push(`reply ${broker.publishSync({ topics: ["other"], data: "r" }).id}`);
        }
      },
    });
    const stored = broker.publishBatchSync([{ data: "1" }, { data: "2" }, { data: "3" }]);
    expect(stored.at(-1)?.id).toBe(formatEventId(EPOCH, 3));
    expect(order).toEqual(["1", `reply ${formatEventId(EPOCH, 4)}`, "2", "3"]);
  });

  test("replays a batch to a subscriber resuming from inside it, exactly once", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const stored = broker.publishBatchSync(Array.from({ length: 10 }, (_, index) => ({ data: String(index) })));
    const replayed: StoredEvent[] = [];
    await broker.subscribe({ onEvent: (event) => replayed.push(event) }, { lastEventId: stored[3]?.id });
    expect(replayed.map((event) => event.data)).toEqual(["4", "5", "6", "7", "8", "9"]);
  });

  test("answers an empty batch with no events and stores nothing", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    expect(await broker.publishBatch([])).toEqual([]);
    expect(broker.publishSync({ data: "x" }).id).toBe(formatEventId(EPOCH, 1));
  });

  test("rejects after close", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    await broker.close();
    expect(await rejectionCode(broker.publishBatch([{ data: "x" }]))).toBe("BROKER_CLOSED");
  });
});
