import { describe, expect, test } from "vitest";
import { formatEventId } from "./event-id.ts";
import { createEventStream, type EventStreamOptions } from "./event-stream.ts";
import { MemoryBroker } from "./memory-broker.ts";
import { parseChunks } from "./test-support/feed.ts";
import { framesOf, readFrames } from "./test-support/stream-reader.ts";

const EPOCH = 1_764_000_000_000;
const id = (sequence: number): string => formatEventId(EPOCH, sequence);

function open(broker: MemoryBroker, options: EventStreamOptions): ReadableStreamDefaultReader<Uint8Array> {
  return createEventStream(broker, { retryMs: false, ...options }).getReader();
}

/** Reads `count` frames as raw bytes. */
async function readBytes(reader: ReadableStreamDefaultReader<Uint8Array>, count: number): Promise<Uint8Array> {
  return new TextEncoder().encode((await readFrames(reader, count)).text);
}

describe("createEventStream with topics", () => {
  test("writes a topic line on every event of a topic other than the default one", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const reader = open(broker, { topics: ["orders/*", "events"] });
    await broker.publish({ topics: ["orders/42"], event: "order.updated", data: "{}" });
    await broker.publish({ data: "plain" });
    await broker.publish({ topics: ["orders/7", "events"], data: "both" });
    expect(framesOf((await readFrames(reader, 3)).text)).toEqual([
      `id: ${id(1)}\nevent: order.updated\ntopic: orders/42\ndata: {}`,
      `id: ${id(2)}\ndata: plain`,
      `id: ${id(3)}\ntopic: orders/7\ndata: both`,
    ]);
    await reader.cancel();
  });

  test("writes replayed events of other topics with their topic line too, and the parser reads it", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    await broker.publish({ topics: ["a"], data: "1" });
    await broker.publish({ topics: ["b/c"], data: "2" });
    const reader = open(broker, { topics: ["a", "b/*"], lastEventId: broker.origin });
    expect(parseChunks([(await readFrames(reader, 2)).text]).events).toEqual([
      { type: "message", data: "1", lastEventId: id(1), topic: "a" },
      { type: "message", data: "2", lastEventId: id(2), topic: "b/c" },
    ]);
    await reader.cancel();
  });

  test("writes the default topic's frames byte for byte as a stream without topics does", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    await broker.publish({ data: '{"message":"one"}' });
    const opening: EventStreamOptions["openingEvent"] = () => ({ event: "connected", data: "{}" });
    const plain = createEventStream(broker, { lastEventId: broker.origin, openingEvent: opening }).getReader();
    const explicit = createEventStream(broker, { lastEventId: broker.origin, openingEvent: opening, topics: ["events"] }).getReader();
    await broker.publish({ topics: ["other"], data: "not for them" });
    await broker.publish({ event: "update", data: "two\nlines" });
    const expected = await readBytes(plain, 4);
    expect(await readBytes(explicit, 4)).toEqual(expected);
    expect(new TextDecoder().decode(expected)).not.toContain("topic:");
    await plain.cancel();
    await explicit.cancel();
  });

  test("writes a gap without topics when following only the default topic", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    for (const topics of [undefined, ["events"]]) {
      const reader = open(broker, { lastEventId: "bogus", ...(topics === undefined ? {} : { topics }) });
      expect(framesOf((await readFrames(reader, 1)).text)).toEqual([
        'event: gap\ndata: {"requestedId":"bogus","oldestId":null,"reason":"malformed"}',
      ]);
      await reader.cancel();
    }
  });

  test("writes a gap naming the topics that lost events when following other topics", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH, historySize: 1 });
    await broker.publish({ topics: ["a"], data: "1" });
    await broker.publish({ topics: ["b"], data: "2" });
    await broker.publish({ topics: ["b"], data: "3" });
    const reader = open(broker, { topics: ["a", "b"], lastEventId: id(1) });
    expect(framesOf((await readFrames(reader, 2)).text)).toEqual([
      `event: gap\ndata: {"requestedId":"${id(1)}","oldestId":"${id(3)}","reason":"too-old","topics":["b"]}`,
      `id: ${id(3)}\ntopic: b\ndata: 3`,
    ]);
    await reader.cancel();
    const withDefault = open(broker, { topics: ["events", "a"], lastEventId: "bogus" });
    expect((await readFrames(withDefault, 1)).text).toContain('"topics":["events","a"]');
    await withDefault.cancel();
  });

  test("writes the events of the defaultTopic option without a topic line, and its lone gap without topics", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    await broker.publish({ topics: ["room/1"], data: "r" });
    await broker.publish({ data: "e" });
    const reader = open(broker, { topics: ["room/1", "events"], defaultTopic: "room/1", lastEventId: broker.origin });
    expect(framesOf((await readFrames(reader, 2)).text)).toEqual([`id: ${id(1)}\ndata: r`, `id: ${id(2)}\ntopic: events\ndata: e`]);
    await reader.cancel();
    const lone = open(broker, { topics: ["room/1"], defaultTopic: "room/1", lastEventId: "bogus" });
    expect(framesOf((await readFrames(lone, 2)).text)).toEqual([
      `event: gap\ndata: {"requestedId":"bogus","oldestId":"${id(1)}","reason":"malformed"}`,
      `id: ${id(1)}\ndata: r`,
    ]);
    await lone.cancel();
  });

  test("follows the defaultTopic option when no topics are given", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    await broker.publish({ topics: ["news"], data: "n" });
    await broker.publish({ data: "e" });
    const reader = open(broker, { defaultTopic: "news", lastEventId: broker.origin });
    expect(framesOf((await readFrames(reader, 1)).text)).toEqual([`id: ${id(1)}\ndata: n`]);
    await reader.cancel();
  });

  test("errors with INVALID_TOPIC_PATTERN for a bad pattern", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const reasons: string[] = [];
    const reader = createEventStream(broker, { topics: ["a/*/b"], onClose: (reason) => reasons.push(reason) }).getReader();
    await expect(reader.read()).rejects.toMatchObject({ code: "INVALID_TOPIC_PATTERN" });
    expect(reasons).toEqual(["error"]);
    expect(broker.subscriberCount).toBe(0);
  });
});
