import { describe, expect, test } from "vitest";
import { createRecorder, REDIS_URL, type Recorder, redisCommand, SKIP_REDIS, topicStream, waitFor, withBroker } from "../test/support/redis.ts";
import type { RedisBroker } from "./redis-broker.ts";

const decoder = new TextDecoder();

/** What a subscription should get of `published`: the events of a matching topic, with the first such topic. */
function expected(published: readonly { id: string; topics: readonly string[] }[], matches: (topic: string) => boolean): [string, string][] {
  return published.flatMap(({ id, topics }) => {
    const topic = topics.find(matches);
    return topic === undefined ? [] : [[id, topic] as [string, string]];
  });
}

function received(recorder: Recorder): [string, string][] {
  return recorder.events.map((event, index) => [event.id, recorder.topics[index] as string]);
}

async function subscribeAll(broker: RedisBroker, subscriptions: Record<string, readonly string[]>): Promise<Record<string, Recorder>> {
  const recorders: Record<string, Recorder> = {};
  for (const [name, topics] of Object.entries(subscriptions)) {
    recorders[name] = createRecorder();
    await broker.subscribe(recorders[name].handlers, { topics });
  }
  return recorders;
}

describe("RedisBroker topics (real Redis)", () => {
  test.skipIf(SKIP_REDIS)("delivers each subscriber only the events of its topics and patterns", async () => {
    await withBroker(async (broker) => {
      const recorders = await subscribeAll(broker, {
        exact: ["a"],
        prefix: ["b/*"],
        all: ["*"],
        byDefault: ["events"],
        mixed: ["c", "b/1/*"],
      });
      const published: { id: string; topics: readonly string[] }[] = [];
      for (const topic of ["a", "b/1", "b/1/2", "b", "c", "events", "a/x", "bb/1"]) {
        published.push({ id: (await broker.publish({ topics: [topic], data: topic })).id, topics: [topic] });
      }
      const last = published.at(-1)?.id;
      await waitFor("every event on the * subscriber", () => recorders.all?.ids().at(-1) === last);
      const matchers: Record<string, (topic: string) => boolean> = {
        exact: (topic) => topic === "a",
        prefix: (topic) => topic.startsWith("b/"),
        all: () => true,
        byDefault: (topic) => topic === "events",
        mixed: (topic) => topic === "c" || topic.startsWith("b/1/"),
      };
      for (const [name, matches] of Object.entries(matchers)) {
        expect([name, received(recorders[name] as Recorder)]).toEqual([name, expected(published, matches)]);
      }
    });
  });

  test.skipIf(SKIP_REDIS)("delivers an event published to several subscribed topics once, through its first matching topic", async () => {
    await withBroker(async (broker, key) => {
      const both = createRecorder();
      const reversed = createRecorder();
      const pattern = createRecorder();
      await broker.subscribe(both.handlers, { topics: ["a", "b/x"] });
      await broker.subscribe(reversed.handlers, { topics: ["b/x", "a"] });
      await broker.subscribe(pattern.handlers, { topics: ["b/*", "*"] });
      const event = await broker.publish({ topics: ["a", "b/x", "c"], event: "note", data: "once" });
      expect(event.topics).toEqual(["a", "b/x", "c"]);
      await waitFor("the event everywhere", () => [both, reversed, pattern].every((recorder) => recorder.events.length === 1));
      expect(received(both)).toEqual([[event.id, "a"]]);
      expect(received(reversed)).toEqual([[event.id, "a"]]);
      expect(received(pattern)).toEqual([[event.id, "a"]]);
      expect(decoder.decode(both.events[0]?.frameFor("a"))).toBe(`id: ${event.id}\nevent: note\ntopic: a\ndata: once\n\n`);
      // One id, stored in each topic's history.
      for (const topic of ["a", "b/x", "c"]) {
        expect(await redisCommand(REDIS_URL, "XRANGE", topicStream(key, topic), "-", "+")).toEqual([
          [event.id, ["event", "note", "data", "once", "topics", "a b/x c"]],
        ]);
      }
      // The replay dedupes it too.
      const resumed = createRecorder();
      await broker.subscribe(resumed.handlers, { topics: ["c", "b/*"], lastEventId: "0-0" });
      expect(received(resumed)).toEqual([[event.id, "b/x"]]);
    });
  });

  test.skipIf(SKIP_REDIS)("resumes a multi-topic subscription after 1,000 events across 10 topics exactly once and in order", async () => {
    await withBroker(async (broker) => {
      const topics = Array.from({ length: 10 }, (_, index) => (index < 5 ? `t${index}` : `g/${index}`));
      const published: { id: string; topics: readonly string[] }[] = [];
      await waitFor("a connection", () => broker.health().ok);
      for (let start = 0; start < 1000; start += 50) {
        // 50 concurrent publishes at a time; a third of them to two topics at once.
        const batch = await Promise.all(
          Array.from({ length: 50 }, (_, offset) => {
            const index = start + offset;
            const chosen = index % 3 === 0 ? [topics[index % 10] as string, topics[(index * 7 + 3) % 10] as string] : [topics[index % 10] as string];
            return broker.publish({ topics: [...new Set(chosen)], data: `m${index}` });
          }),
        );
        published.push(...batch.map((event) => ({ id: event.id, topics: event.topics })));
      }
      published.sort((a, b) => compareIds(a.id, b.id));
      const subscription = ["t1", "t3", "g/*"];
      const matches = (topic: string): boolean => topic === "t1" || topic === "t3" || topic.startsWith("g/");
      for (const from of [0, 1, 300, 998, 999]) {
        const after = published[from]?.id as string;
        const recorder = createRecorder();
        const resumed = await broker.subscribe(recorder.handlers, { topics: subscription, lastEventId: after });
        const rest = expected(published.slice(from + 1), matches);
        expect(resumed).toMatchObject({ cursor: after, gap: undefined, replayed: rest.length });
        expect(received(recorder)).toEqual(rest);
        resumed.unsubscribe();
      }
    }, 2000);
  });
});

function compareIds(a: string, b: string): number {
  const [am, as] = a.split("-").map(Number) as [number, number];
  const [bm, bs] = b.split("-").map(Number) as [number, number];
  return am - bm || as - bs;
}
