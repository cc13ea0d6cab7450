import { describe, expect, test } from "vitest";
import { createDeadlineScheduler } from "./deadline-scheduler.ts";
import { type EventStreamCloseReason, type EventStreamOptions, createEventStream } from "./event-stream.ts";
import { createFlushScheduler } from "./flush-scheduler.ts";
import { createKeepAliveHub } from "./keep-alive.ts";
import { MemoryBroker } from "./memory-broker.ts";
import { ReplayChunks } from "./replay-chunks.ts";
import { createManualInterval } from "./test-support/manual-interval.ts";
import { settle } from "./test-support/stream-reader.ts";

const utf8 = new TextDecoder();

/** A stream on a fresh broker whose flush turns the test runs by hand. */
async function openManual(options: EventStreamOptions = {}, broker = new MemoryBroker({ epoch: 1 })) {
  const turns: Array<() => void> = [];
  const flushScheduler = createFlushScheduler({ schedule: (run) => void turns.push(run) });
  const reasons: EventStreamCloseReason[] = [];
  const reader = createEventStream(broker, { retryMs: false, ...options, flushScheduler, onClose: (reason) => reasons.push(reason) }).getReader();
  await settle();
  // One read outstanding at a time, kept across calls: a read left behind would take the next chunk.
  let reading: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  return {
    broker,
    reader,
    reasons,
    /** Runs every flush turn asked for so far. */
    flush(): void {
      while (turns.length > 0) turns.shift()?.();
    },
    /** Reads the chunks queued now, without waiting for more. */
    async queued(): Promise<Array<Uint8Array | "done">> {
      const chunks: Array<Uint8Array | "done"> = [];
      for (;;) {
        reading ??= reader.read();
        const next = await Promise.race([reading, settle().then(() => undefined)]);
        if (next === undefined) return chunks;
        reading = undefined;
        if (next.done) return [...chunks, "done"];
        chunks.push(next.value);
      }
    },
  };
}

const text = (chunks: Array<Uint8Array | "done">): string[] => chunks.map((chunk) => (chunk === "done" ? chunk : utf8.decode(chunk)));

describe("createEventStream coalesced writes", () => {
  test("hands the frames of one turn to the reader as one chunk, in order, only when the flush runs", async () => {
    const stream = await openManual();
    stream.broker.publishSync({ data: "a" });
    stream.broker.publishSync({ data: "b" });
    stream.broker.publishSync({ event: "c", data: "c1\nc2" });
    expect(await stream.queued()).toEqual([]);
    stream.flush();
    expect(text(await stream.queued())).toEqual(["id: 1-1\ndata: a\n\nid: 1-2\ndata: b\n\nid: 1-3\nevent: c\ndata: c1\ndata: c2\n\n"]);
    await stream.reader.cancel();
  });

  test("hands a frame alone to the reader as the event's own bytes, shared by every client", async () => {
    const stream = await openManual();
    const other = await openManual({}, stream.broker);
    const event = stream.broker.publishSync({ data: "shared" });
    stream.flush();
    other.flush();
    const [mine] = await stream.queued();
    const [theirs] = await other.queued();
    expect(mine).toBe(event.frame);
    expect(theirs).toBe(event.frame);
    await stream.reader.cancel();
    await other.reader.cancel();
  });

  test("hands a replay over joined, after the opening frames, the same bytes to every client resuming from the same id", async () => {
    const broker = new MemoryBroker({ epoch: 1 });
    const stored = [broker.publishSync({ data: "a" }), broker.publishSync({ data: "b" }), broker.publishSync({ data: "c" })];
    const replayChunks = new ReplayChunks();
    const stream = await openManual({ lastEventId: stored[0]?.id, retryMs: 1000, replayChunks }, broker);
    const other = await openManual({ lastEventId: stored[0]?.id, retryMs: 1000, replayChunks }, broker);
    stream.flush();
    other.flush();
    const chunks = await stream.queued();
    const theirs = await other.queued();
    expect(text(chunks)).toEqual(["retry: 1000\n\n", `id: ${stored[1]?.id}\ndata: b\n\nid: ${stored[2]?.id}\ndata: c\n\n`]);
    // One chunk for the two frames (one socket write), joined once for both clients.
    expect(theirs[1]).toBe(chunks[1] as Uint8Array);
    expect(replayChunks.size).toBe(1);
    await stream.reader.cancel();
    await other.reader.cancel();
  });

  test("joins a large burst into chunks of at most 64 KiB that each end at a frame boundary", async () => {
    const stream = await openManual({ maxBufferBytes: 1 << 20 });
    const data = "x".repeat(1000);
    for (let index = 0; index < 200; index++) stream.broker.publishSync({ data });
    stream.flush();
    const chunks = text(await stream.queued());
    expect(chunks.length).toBe(4);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(64 * 1024);
      expect(chunk.endsWith("\n\n")).toBe(true);
    }
    expect(chunks.join("").split("\n\n").length - 1).toBe(200);
    await stream.reader.cancel();
  });

  test("counts pending frames against the limit: exactly maxBufferBytes is kept, one byte more is cut", async () => {
    const frameBytes = new TextEncoder().encode("id: 1-1\ndata: 0123456789\n\n").byteLength;
    const atLimit = await openManual({ maxBufferBytes: frameBytes * 3 });
    for (let index = 0; index < 3; index++) atLimit.broker.publishSync({ data: "0123456789" });
    expect(atLimit.reasons).toEqual([]);
    const overLimit = await openManual({ maxBufferBytes: frameBytes * 3 - 1 });
    for (let index = 0; index < 3; index++) overLimit.broker.publishSync({ data: "0123456789" });
    expect(overLimit.reasons).toEqual(["slow-consumer"]);
    await atLimit.reader.cancel();
  });

  test("counts pending and queued bytes together against the limit", async () => {
    const frameBytes = new TextEncoder().encode("id: 1-1\ndata: 0123456789\n\n").byteLength;
    const stream = await openManual({ maxBufferBytes: frameBytes * 4 });
    stream.broker.publishSync({ data: "0123456789" });
    stream.broker.publishSync({ data: "0123456789" });
    stream.flush();
    stream.broker.publishSync({ data: "0123456789" });
    stream.broker.publishSync({ data: "0123456789" });
    expect(stream.reasons).toEqual([]);
    stream.broker.publishSync({ data: "0" });
    expect(stream.reasons).toEqual(["slow-consumer"]);
  });

  test("drops pending frames when cut as a slow consumer, and a later flush writes nothing", async () => {
    const stream = await openManual({ maxBufferBytes: 30 });
    stream.broker.publishSync({ data: "0123456789" });
    stream.broker.publishSync({ data: "0123456789" });
    expect(stream.reasons).toEqual(["slow-consumer"]);
    stream.flush();
    await expect(stream.reader.read()).rejects.toBeDefined();
  });

  test("writes pending frames before closing when the stream is aborted", async () => {
    const controller = new AbortController();
    const stream = await openManual({ signal: controller.signal });
    stream.broker.publishSync({ data: "a" });
    stream.broker.publishSync({ data: "b" });
    controller.abort();
    expect(stream.reasons).toEqual(["aborted"]);
    expect(text(await stream.queued())).toEqual(["id: 1-1\ndata: a\n\nid: 1-2\ndata: b\n\n", "done"]);
    stream.flush();
  });

  test("writes the end event after pending frames when endsAt comes", async () => {
    let time = 0;
    let fire: (() => void) | undefined;
    const deadlines = createDeadlineScheduler({ now: () => time, setTimeout: (callback) => (fire = callback), clearTimeout: () => {} });
    const stream = await openManual({ endsAt: 10, endEvent: { event: "end", data: "bye" }, deadlines });
    stream.broker.publishSync({ data: "a" });
    time = 10;
    fire?.();
    expect(stream.reasons).toEqual(["deadline"]);
    expect(text(await stream.queued()).join("")).toBe("id: 1-1\ndata: a\n\nevent: end\ndata: bye\n\ndone");
  });

  test("writes no keepalive while frames are pending", async () => {
    const timer = createManualInterval();
    const stream = await openManual({ keepAlive: createKeepAliveHub(timer) });
    stream.broker.publishSync({ data: "a" });
    timer.tick();
    stream.flush();
    timer.tick();
    stream.flush();
    expect(text(await stream.queued())).toEqual(["id: 1-1\ndata: a\n\n"]);
    timer.tick();
    stream.flush();
    expect(text(await stream.queued())).toEqual([": keepalive\n"]);
    await stream.reader.cancel();
  });

  test("drops pending frames when the reader cancels, and a later flush writes nothing", async () => {
    const stream = await openManual();
    stream.broker.publishSync({ data: "a" });
    await stream.reader.cancel();
    expect(stream.reasons).toEqual(["cancelled"]);
    stream.flush();
    expect(stream.broker.subscriberCount).toBe(0);
  });
});
