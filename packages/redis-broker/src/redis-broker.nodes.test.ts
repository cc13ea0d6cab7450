import type { Subscription } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { matchesTopic, parseTopicPattern } from "@events/sse-core";
import { createRecorder, REDIS_URL, type Recorder, SKIP_REDIS, waitFor, withStreamKey } from "../test/support/redis.ts";
import { RedisBroker } from "./redis-broker.ts";
import { compareRedisIds } from "./stream-id.ts";

/** Runs `body` with two brokers ("nodes") on one key prefix. */
async function withNodes(body: (a: RedisBroker, b: RedisBroker) => Promise<void>, historySize?: number): Promise<void> {
  await withStreamKey(async (key) => {
    const options = { url: REDIS_URL, streamKey: key, blockMs: 1000, ...(historySize === undefined ? {} : { historySize }) };
    const a = new RedisBroker(options);
    const b = new RedisBroker(options);
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

  test.skipIf(SKIP_REDIS)(
    "keeps ids strictly increasing for every subscriber with concurrent publishers to random topics on two nodes, and resumes from every id seen with exactly the rest",
    async () => {
      await withNodes(async (a, b) => {
        await waitFor("both nodes connected", () => a.health().ok && b.health().ok);
        const topics = ["a", "b/1", "b/2", "b/2/x", "c", "events"];
        const subscriptions = [["a"], ["b/*"], ["a", "b/2/*", "c"], ["*"], ["events", "b/1"]];
        const recorders = new Map<readonly string[], Recorder[]>();
        for (const subscription of subscriptions) {
          const pair = [createRecorder(), createRecorder()];
          await a.subscribe((pair[0] as Recorder).handlers, { topics: subscription });
          await b.subscribe((pair[1] as Recorder).handlers, { topics: subscription });
          recorders.set(subscription, pair);
        }
        // Deterministic "random" topics; 4 concurrent publishers, two per node, racing each other.
        let seed = 7;
        const random = (): number => {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          return seed / 2147483648;
        };
        const published: { id: string; topics: readonly string[] }[] = [];
        await Promise.all(
          [a, a, b, b].map(async (node, publisher) => {
            for (let index = 0; index < 100; index += 1) {
              const chosen = [...new Set([topics[Math.floor(random() * topics.length)] as string, ...(random() < 0.3 ? [topics[Math.floor(random() * topics.length)] as string] : [])])];
              const event = await node.publish({ topics: chosen, data: `p${publisher}m${index}` });
              published.push({ id: event.id, topics: event.topics });
            }
          }),
        );
        published.sort((x, y) => compareRedisIds(x.id, y.id));
        expect(new Set(published.map(({ id }) => id)).size).toBe(400);
        for (const [subscription, pair] of recorders) {
          const patterns = subscription.map(parseTopicPattern);
          const expected = published.filter(({ topics: eventTopics }) => eventTopics.some((topic) => patterns.some((pattern) => matchesTopic(pattern, topic))));
          const expectedIds = expected.map(({ id }) => id);
          await waitFor(`every event for ${subscription.join(",")} on both nodes`, () => pair.every((recorder) => recorder.events.length >= expected.length));
          for (const recorder of pair) {
            const ids = recorder.ids();
            for (let index = 1; index < ids.length; index += 1) expect(compareRedisIds(ids[index - 1] as string, ids[index] as string)).toBeLessThan(0);
            expect(ids).toEqual(expectedIds);
          }
          // A resume from every id seen gets exactly the rest, on either node.
          for (let index = 0; index < expectedIds.length; index += 1) {
            const resumed = createRecorder();
            const subscriptionFrom = await (index % 2 === 0 ? a : b).subscribe(resumed.handlers, { topics: subscription, lastEventId: expectedIds[index] });
            subscriptionFrom.unsubscribe();
            expect(subscriptionFrom.gap).toBeUndefined();
            expect(resumed.ids()).toEqual(expectedIds.slice(index + 1));
          }
        }
      }, 1000);
    },
    60_000,
  );
});
