// A check for brokers on a real store (the Redis and Postgres brokers' batch tests import this
// file by path): two nodes publish interleaved batches at once; every subscriber of either node
// gets every event once, in id order, and no event of another batch comes between one batch's.
import { expect } from "vitest";
import type { Broker } from "../broker.ts";
import { createRecorder, waitFor } from "./recorder.ts";

/** Publishes 20 batches of 10 events, alternating between `a` and `b`, and checks what both nodes' subscribers got. */
export async function expectConcurrentBatchesInOrder(a: Broker, b: Broker, compareIds: (left: string, right: string) => number): Promise<void> {
  const onA = createRecorder();
  const onB = createRecorder();
  await a.subscribe(onA.handlers, { topics: ["*"] });
  await b.subscribe(onB.handlers, { topics: ["t/*"] });
  const batches = await Promise.all(
    Array.from({ length: 20 }, (_, batch) => {
      const publisher = batch % 2 === 0 ? a : b;
      if (publisher.publishBatch === undefined) throw new Error("the broker has no publishBatch");
      return publisher.publishBatch(Array.from({ length: 10 }, (_, index) => ({ topics: [`t/${(batch + index) % 3}`], data: `${batch}.${index}` })));
    }),
  );
  await waitFor("200 events on both nodes", () => onA.events.length === 200 && onB.events.length === 200);
  const expected = batches.flat().map((event) => event.id).sort(compareIds);
  expect(onA.ids()).toEqual(expected);
  expect(onB.ids()).toEqual(expected);
  // No other publish came between the events of one batch.
  const position = new Map(expected.map((id, index) => [id, index]));
  for (const batch of batches) {
    const at = batch.map((event) => position.get(event.id) as number);
    expect(at).toEqual(at.map((_, index) => (at[0] as number) + index));
  }
}
