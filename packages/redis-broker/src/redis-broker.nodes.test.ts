import type { Subscription } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { createRecorder, REDIS_URL, type Recorder, SKIP_REDIS, waitFor, withStreamKey } from "../test/support/redis.ts";
import { RedisBroker } from "./redis-broker.ts";
import { compareRedisIds } from "./stream-id.ts";

/** Runs `body` with two brokers ("nodes") on one stream key. */
async function withNodes(body: (a: RedisBroker, b: RedisBroker) => Promise<void>): Promise<void> {
  await withStreamKey(async (key) => {
    const a = new RedisBroker({ url: REDIS_URL, streamKey: key, blockMs: 1000 });
    const b = new RedisBroker({ url: REDIS_URL, streamKey: key, blockMs: 1000 });
    try {
      await body(a, b);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
}

const decoder = new TextDecoder();

describe("RedisBroker on several nodes (real Redis)", () => {
  test.skipIf(SKIP_REDIS)("delivers the same events in the same order with the same ids on two nodes", async () => {
    await withNodes(async (a, b) => {
      const onA = createRecorder();
      const onB = createRecorder();
      await a.subscribe(onA.handlers);
      await b.subscribe(onB.handlers);
      // Concurrent publishes from both nodes: Redis decides one order, every node must follow it.
      const stored = await Promise.all(Array.from({ length: 60 }, (_, index) => (index % 2 === 0 ? a : b).publish({ data: `m${index}` })));
      const expected = stored.map((event) => event.id).sort(compareRedisIds);
      await waitFor("60 events on both nodes", () => onA.events.length === 60 && onB.events.length === 60);
      expect(onA.ids()).toEqual(expected);
      expect(onB.ids()).toEqual(expected);
      expect(onA.events.map((event) => decoder.decode(event.frame))).toEqual(onB.events.map((event) => decoder.decode(event.frame)));
    });
  });

  test.skipIf(SKIP_REDIS)("loses and repeats nothing between replay and live while publishes race the subscribes", async () => {
    await withNodes(async (publisher, subscriber) => {
      const published: string[] = [];
      let publishing = true;
      const publishes = (async (): Promise<void> => {
        for (let index = 0; index < 300; index += 1) {
          published.push((await (index % 3 === 0 ? subscriber : publisher).publish({ data: `m${index}` })).id);
        }
        publishing = false;
      })();
      const subscriptions: { recorder: Recorder; subscription: Subscription }[] = [];
      let during = 0;
      for (let index = 0; publishing || index < 10; index += 1) {
        const recorder = createRecorder();
        // Alternate fresh subscribes with resumes from a few events back.
        const back = index % 4;
        const lastEventId = back === 0 || published.length < back ? undefined : published[published.length - back];
        const subscription = await subscriber.subscribe(recorder.handlers, lastEventId === undefined ? {} : { lastEventId });
        if (publishing) during += 1;
        subscriptions.push({ recorder, subscription });
      }
      await publishes;
      expect(during).toBeGreaterThan(5);
      const newest = published[published.length - 1] as string;
      await waitFor("every subscriber to reach the newest event", () =>
        subscriptions.every(({ recorder, subscription }) => recorder.ids().at(-1) === newest || subscription.cursor === newest),
      );
      for (const { recorder, subscription } of subscriptions) {
        expect(subscription.gap).toBeUndefined();
        const start = subscription.cursor === "0-0" ? 0 : published.indexOf(subscription.cursor) + 1;
        expect(recorder.ids()).toEqual(published.slice(start));
      }
    });
  });
});
