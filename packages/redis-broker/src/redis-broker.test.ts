import { SseError } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { createRecorder, REDIS_URL, redisCommand, SKIP_REDIS, topicStream, waitFor, withBroker, withStreamKey } from "../test/support/redis.ts";
import { RedisBroker } from "./redis-broker.ts";

const decoder = new TextDecoder();

describe("RedisBroker (real Redis)", () => {
  test.skipIf(SKIP_REDIS)("uses the Redis stream id as the event id and stores event and data fields", async () => {
    await withBroker(async (broker, key) => {
      const stored = await broker.publish({ event: "note", data: "hello" });
      expect(stored.id).toMatch(/^\d+-\d+$/);
      expect(await redisCommand(REDIS_URL, "XRANGE", topicStream(key), "-", "+")).toEqual([[stored.id, ["event", "note", "data", "hello"]]]);
      expect(decoder.decode(stored.frame)).toBe(`id: ${stored.id}\nevent: note\ndata: hello\n\n`);
    });
  });

  test.skipIf(SKIP_REDIS)("delivers published events to a subscriber in order, with the published ids", async () => {
    await withBroker(async (broker) => {
      const recorder = createRecorder();
      const subscription = await broker.subscribe(recorder.handlers);
      expect(subscription.cursor).toBe("0-0");
      expect(subscription.replayed).toBe(0);
      const published: string[] = [];
      for (let index = 0; index < 20; index += 1) published.push((await broker.publish({ data: `m${index}` })).id);
      await waitFor("20 live events", () => recorder.events.length === 20);
      expect(recorder.ids()).toEqual(published);
      expect(recorder.events.map((event) => event.data)).toEqual(published.map((_, index) => `m${index}`));
      expect(decoder.decode(recorder.events[0]?.frame)).toBe(`id: ${published[0]}\ndata: m0\n\n`);
      expect(recorder.gaps).toEqual([]);
    });
  });

  test.skipIf(SKIP_REDIS)("starts a fresh subscription at the newest id, with no replay", async () => {
    await withBroker(async (broker) => {
      await broker.publish({ data: "a" });
      const newest = await broker.publish({ data: "b" });
      const recorder = createRecorder();
      const subscription = await broker.subscribe(recorder.handlers);
      expect(subscription.cursor).toBe(newest.id);
      expect(subscription.replayed).toBe(0);
      const next = await broker.publish({ data: "c" });
      await waitFor("the live event", () => recorder.events.length === 1);
      expect(recorder.ids()).toEqual([next.id]);
    });
  });

  test.skipIf(SKIP_REDIS)("replays after a Last-Event-ID, then delivers live events", async () => {
    await withBroker(async (broker) => {
      const ids: string[] = [];
      for (let index = 0; index < 5; index += 1) ids.push((await broker.publish({ data: `m${index}` })).id);
      const recorder = createRecorder();
      const subscription = await broker.subscribe(recorder.handlers, { lastEventId: ids[1] as string });
      expect(subscription.gap).toBeUndefined();
      expect(subscription.cursor).toBe(ids[1]);
      expect(subscription.replayed).toBe(3);
      expect(recorder.ids()).toEqual(ids.slice(2));
      const live = await broker.publish({ data: "live" });
      await waitFor("the live event", () => recorder.events.length === 4);
      expect(recorder.ids()).toEqual([...ids.slice(2), live.id]);
    });
  });

  test.skipIf(SKIP_REDIS)("replays nothing when resuming from the newest id", async () => {
    await withBroker(async (broker) => {
      const newest = await broker.publish({ data: "a" });
      const recorder = createRecorder();
      const subscription = await broker.subscribe(recorder.handlers, { lastEventId: newest.id });
      expect(subscription).toMatchObject({ cursor: newest.id, replayed: 0, gap: undefined });
    });
  });

  test.skipIf(SKIP_REDIS)("stops delivering after unsubscribe and counts subscribers", async () => {
    await withBroker(async (broker) => {
      const kept = createRecorder();
      const dropped = createRecorder();
      await broker.subscribe(kept.handlers);
      const subscription = await broker.subscribe(dropped.handlers);
      expect(broker.subscriberCount).toBe(2);
      subscription.unsubscribe();
      subscription.unsubscribe();
      expect(broker.subscriberCount).toBe(1);
      await broker.publish({ data: "x" });
      await waitFor("the kept subscriber's event", () => kept.events.length === 1);
      expect(dropped.events).toEqual([]);
    });
  });

  test.skipIf(SKIP_REDIS)("reports a connected health with the stream key", async () => {
    await withBroker(async (broker, key) => {
      await waitFor("a connection", () => broker.health().ok);
      expect(broker.health().detail).toContain(key);
    });
  });

  test.skipIf(SKIP_REDIS)("ends subscriptions on close and then refuses publish and subscribe", async () => {
    await withStreamKey(async (key) => {
      const broker = new RedisBroker({ url: REDIS_URL, streamKey: key, blockMs: 1000 });
      const recorder = createRecorder();
      await broker.subscribe(recorder.handlers);
      await broker.close();
      expect(recorder.closes).toBe(1);
      expect(broker.subscriberCount).toBe(0);
      expect(broker.health().ok).toBe(false);
      await expect(broker.publish({ data: "x" })).rejects.toMatchObject({ code: "BROKER_CLOSED" });
      await expect(broker.subscribe(recorder.handlers)).rejects.toMatchObject({ code: "BROKER_CLOSED" });
      await broker.close();
    });
  });

  test.skipIf(SKIP_REDIS)("rejects an event type containing a line break without storing it", async () => {
    await withBroker(async (broker, key) => {
      const error = await broker.publish({ event: "a\nb", data: "x" }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SseError);
      expect(error).toMatchObject({ code: "INVALID_EVENT_NAME" });
      expect(await redisCommand(REDIS_URL, "EXISTS", topicStream(key), `${key}:ids`)).toBe(0);
    });
  });

  test.skipIf(SKIP_REDIS)("stores nothing for an idempotency key seen before, and answers the first event", async () => {
    await withBroker(async (broker, key) => {
      const recorder = createRecorder();
      await broker.subscribe(recorder.handlers);
      const first = await broker.publish({ event: "note", data: "once", idempotencyKey: "k" });
      const again = await Promise.all([
        broker.publish({ event: "note", data: "once", idempotencyKey: "k" }),
        broker.publish({ event: "note", data: "once", idempotencyKey: "k" }),
      ]);
      const other = await broker.publish({ data: "other", idempotencyKey: "k2" });
      expect(again.map((event) => event.id)).toEqual([first.id, first.id]);
      expect(again[0]).toMatchObject({ event: "note", data: "once" });
      expect(decoder.decode(again[0]?.frame)).toBe(`id: ${first.id}\nevent: note\ndata: once\n\n`);
      expect(await redisCommand(REDIS_URL, "XLEN", topicStream(key))).toBe(2);
      await waitFor("both stored events", () => recorder.events.length === 2);
      expect(recorder.ids()).toEqual([first.id, other.id]);
    });
  });

  test.skipIf(SKIP_REDIS)("answers a repeated key with the first id after the stream trimmed its entry", async () => {
    await withStreamKey(async (key) => {
      const broker = new RedisBroker({ url: REDIS_URL, streamKey: key, historySize: 1 });
      try {
        const first = await broker.publish({ data: "first", idempotencyKey: "k" });
        // MAXLEN ~ trims whole nodes only: MAXLEN 0 empties the stream for this check.
        await redisCommand(REDIS_URL, "XTRIM", topicStream(key), "MAXLEN", 0);
        const again = await broker.publish({ data: "first", idempotencyKey: "k" });
        expect(again).toMatchObject({ id: first.id, event: "message", data: "first" });
        expect(await redisCommand(REDIS_URL, "XLEN", topicStream(key))).toBe(0);
      } finally {
        await broker.close();
      }
    });
  });

  test.skipIf(SKIP_REDIS)("forgets the oldest idempotency key past maxIdempotencyKeys", async () => {
    await withStreamKey(async (key) => {
      const broker = new RedisBroker({ url: REDIS_URL, streamKey: key, maxIdempotencyKeys: 2 });
      try {
        const a = await broker.publish({ data: "a", idempotencyKey: "a" });
        const b = await broker.publish({ data: "b", idempotencyKey: "b" });
        await broker.publish({ data: "c", idempotencyKey: "c" });
        expect((await broker.publish({ data: "b", idempotencyKey: "b" })).id).toBe(b.id);
        expect((await broker.publish({ data: "a", idempotencyKey: "a" })).id).not.toBe(a.id);
        expect(await redisCommand(REDIS_URL, "XLEN", topicStream(key))).toBe(4);
        expect(await redisCommand(REDIS_URL, "ZCARD", `${key}:idempotency:at`)).toBe(2);
        expect(await redisCommand(REDIS_URL, "HLEN", `${key}:idempotency`)).toBe(2);
      } finally {
        await broker.close();
      }
    });
  });
});
