import { describe, expect, test } from "vitest";
import type { Broker } from "./broker.ts";
import { SseError } from "./errors.ts";
import { formatEventId } from "./event-id.ts";
import {
  type EventStreamCloseReason,
  type EventStreamOptions,
  createEventStream,
  createEventStreamCounters,
} from "./event-stream.ts";
import { createKeepAliveHub } from "./keep-alive.ts";
import { createSharedTicker } from "./shared-ticker.ts";
import { MemoryBroker } from "./memory-broker.ts";
import { parseChunks } from "./test-support/feed.ts";
import { createManualInterval } from "./test-support/manual-interval.ts";
import { framesOf, readFrames, readUntil, settle } from "./test-support/stream-reader.ts";

const EPOCH = 1_764_000_000_000;
const id = (sequence: number): string => formatEventId(EPOCH, sequence);

async function brokerWith(count: number, historySize = 1000): Promise<MemoryBroker> {
  const broker = new MemoryBroker({ epoch: EPOCH, historySize });
  for (let index = 1; index <= count; index++) await broker.publish({ data: `m${index}` });
  return broker;
}

function open(broker: Broker, options: EventStreamOptions = {}): {
  reader: ReadableStreamDefaultReader<Uint8Array>;
  reasons: EventStreamCloseReason[];
} {
  const reasons: EventStreamCloseReason[] = [];
  const stream = createEventStream(broker, { ...options, onClose: (reason) => reasons.push(reason) });
  return { reader: stream.getReader(), reasons };
}

/** A broker whose every publish and subscribe fails with `failure`. */
function failingBroker(failure: unknown): Broker {
  return {
    publish: () => Promise.reject(failure),
    subscribe: () => Promise.reject(failure),
    subscriberCount: 0,
    health: () => ({ ok: false, detail: "down" }),
    close: () => Promise.resolve(),
  };
}

const connected: EventStreamOptions["openingEvent"] = ({ subscriberCount }) => ({
  event: "connected",
  data: JSON.stringify({ clients: subscriberCount }),
});

describe("createEventStream close summary", () => {
  test("tells onClose how many bytes the stream wrote: exactly what a reader that read everything got", async () => {
    const broker = await brokerWith(3);
    const summaries: Array<{ reason: EventStreamCloseReason; bytes: number }> = [];
    const reader = createEventStream(broker, {
      lastEventId: id(0),
      openingEvent: connected,
      onClose: (reason, { bytes }) => summaries.push({ reason, bytes }),
    }).getReader();
    const read = await readFrames(reader, 5);
    await reader.cancel();
    expect(summaries).toEqual([{ reason: "cancelled", bytes: new TextEncoder().encode(read.text).byteLength }]);
  });
});

describe("createEventStream wire order", () => {
  test("writes retry, the opening event with the cursor as id, the gap, the replay, then live events", async () => {
    const broker = await brokerWith(6, 3);
    const { reader } = open(broker, { lastEventId: id(1), openingEvent: connected });
    const opened = await readFrames(reader, 6);
    await broker.publish({ event: "update", data: "live" });
    const live = await readFrames(reader, 1);
    expect(framesOf(opened.text + live.text)).toEqual([
      "retry: 3000",
      `id: ${id(0)}\nevent: connected\ndata: {"clients":1}`,
      `event: gap\ndata: {"requestedId":"${id(1)}","oldestId":"${id(4)}","reason":"too-old"}`,
      `id: ${id(4)}\ndata: m4`,
      `id: ${id(5)}\ndata: m5`,
      `id: ${id(6)}\ndata: m6`,
      `id: ${id(7)}\nevent: update\ndata: live`,
    ]);
    await reader.cancel();
  });

  test("opens a fresh client at the newest id, with nothing replayed", async () => {
    const broker = await brokerWith(2);
    const { reader } = open(broker, { openingEvent: () => ({ data: "hello" }) });
    const opened = await readFrames(reader, 2);
    expect(framesOf(opened.text)).toEqual(["retry: 3000", `id: ${id(2)}\ndata: hello`]);
    await reader.cancel();
  });

  test("replays after the Last-Event-ID and opens with it as the cursor", async () => {
    const broker = await brokerWith(4);
    const { reader } = open(broker, { lastEventId: id(2), retryMs: 500, openingEvent: connected });
    const { text } = await readFrames(reader, 4);
    const parsed = parseChunks([text]);
    expect(parsed.retries).toEqual([500]);
    expect(parsed.events).toEqual([
      { type: "connected", data: '{"clients":1}', lastEventId: id(2) },
      { type: "message", data: "m3", lastEventId: id(3) },
      { type: "message", data: "m4", lastEventId: id(4) },
    ]);
    await reader.cancel();
  });

  test("writes neither retry nor opening event when disabled", async () => {
    const broker = await brokerWith(1);
    const { reader } = open(broker, { retryMs: false, lastEventId: id(0), openingEvent: () => undefined });
    expect(framesOf((await readFrames(reader, 1)).text)).toEqual([`id: ${id(1)}\ndata: m1`]);
    await reader.cancel();
  });

  test("names the gap event as configured and reports a missing oldest id as null", async () => {
    const broker = new MemoryBroker({ epoch: EPOCH });
    const { reader } = open(broker, { retryMs: false, lastEventId: "bogus", gapEventName: "history-gap" });
    expect(framesOf((await readFrames(reader, 1)).text)).toEqual([
      'event: history-gap\ndata: {"requestedId":"bogus","oldestId":null,"reason":"malformed"}',
    ]);
    await reader.cancel();
  });

  test("adds up delivered, replayed and gap counts", async () => {
    const broker = await brokerWith(5, 3);
    const counters = createEventStreamCounters();
    const resumed = open(broker, { retryMs: false, counters, lastEventId: id(1) });
    const fresh = open(broker, { retryMs: false, counters });
    await readFrames(resumed.reader, 4);
    await settle();
    await broker.publish({ data: "live" });
    await readFrames(fresh.reader, 1);
    expect(counters).toEqual({ delivered: 5, replayed: 3, gaps: 1, slowConsumerDisconnects: 0 });
    await resumed.reader.cancel();
    await fresh.reader.cancel();
  });
});

describe("createEventStream ending", () => {
  test("unsubscribes at once when the client cancels", async () => {
    const broker = await brokerWith(1);
    const { reader, reasons } = open(broker);
    await readFrames(reader, 1);
    expect(broker.subscriberCount).toBe(1);
    await reader.cancel();
    expect(broker.subscriberCount).toBe(0);
    expect(reasons).toEqual(["cancelled"]);
    await broker.publish({ data: "after" });
  });

  test("unsubscribes when cancelled before the subscription was set up", async () => {
    const broker = await brokerWith(1);
    const { reader, reasons } = open(broker);
    await reader.cancel();
    await settle();
    expect(broker.subscriberCount).toBe(0);
    expect(reasons).toEqual(["cancelled"]);
  });

  test("ends cleanly when the signal aborts, after delivering what is queued", async () => {
    const broker = await brokerWith(1);
    const controller = new AbortController();
    const { reader, reasons } = open(broker, { signal: controller.signal, lastEventId: id(0) });
    await settle();
    controller.abort();
    const rest = await readUntil(reader, () => false);
    expect(rest.done).toBe(true);
    expect(framesOf(rest.text)).toEqual(["retry: 3000", `id: ${id(1)}\ndata: m1`]);
    expect(reasons).toEqual(["aborted"]);
    expect(broker.subscriberCount).toBe(0);
  });

  test("ends at once when the signal is already aborted", async () => {
    const broker = await brokerWith(1);
    const { reader, reasons } = open(broker, { signal: AbortSignal.abort() });
    expect((await reader.read()).done).toBe(true);
    expect(reasons).toEqual(["aborted"]);
    expect(broker.subscriberCount).toBe(0);
  });

  test("ends and unsubscribes when the signal aborts while subscribing", async () => {
    let unsubscribed = 0;
    let resolveSubscribe: (() => void) | undefined;
    const broker: Broker = {
      publish: () => Promise.reject(new Error("unused")),
      subscribe: () =>
        new Promise((resolve) => {
          resolveSubscribe = () => resolve({ cursor: "0-0", replayed: 0, gap: undefined, unsubscribe: () => unsubscribed++ });
        }),
      subscriberCount: 1,
      health: () => ({ ok: true, detail: "fake" }),
      close: () => Promise.resolve(),
    };
    const controller = new AbortController();
    const { reader, reasons } = open(broker, { signal: controller.signal });
    controller.abort();
    expect((await reader.read()).done).toBe(true);
    resolveSubscribe?.();
    await settle();
    expect(unsubscribed).toBe(1);
    expect(reasons).toEqual(["aborted"]);
  });

  test("ends when the broker closes", async () => {
    const broker = await brokerWith(0);
    const { reader, reasons } = open(broker, { retryMs: false });
    await settle();
    await broker.close();
    expect((await reader.read()).done).toBe(true);
    expect(reasons).toEqual(["broker-closed"]);
  });

  test("ends when the broker was closed already", async () => {
    const broker = await brokerWith(0);
    await broker.close();
    const { reader, reasons } = open(broker);
    expect((await reader.read()).done).toBe(true);
    expect(reasons).toEqual(["broker-closed"]);
  });

  test("writes retry and ends cleanly when the broker is unavailable, so the client reconnects after it", async () => {
    const failure = new SseError("BROKER_UNAVAILABLE", "redis: ECONNREFUSED");
    const broker = failingBroker(failure);
    const { reader, reasons } = open(broker, { retryMs: 1500, openingEvent: connected });
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("retry: 1500\n\n");
    expect((await reader.read()).done).toBe(true);
    expect(reasons).toEqual(["broker-unavailable"]);
  });

  test("errors with the broker's error when subscribing fails otherwise", async () => {
    const failure = new Error("a bug in the broker");
    const broker = failingBroker(failure);
    const { reader, reasons } = open(broker);
    let caught: unknown;
    await reader.read().catch((error: unknown) => {
      caught = error;
    });
    expect(caught).toBe(failure);
    expect(reasons).toEqual(["error"]);
  });

  test("errors with no reason when quietErrors is set, and still tells onClose why", async () => {
    const failure = new Error("a bug in the broker");
    const broker = failingBroker(failure);
    const { reader, reasons } = open(broker, { quietErrors: true });
    let caught: unknown = "not rejected";
    await reader.read().catch((error: unknown) => {
      caught = error;
    });
    expect(caught).toBe(undefined);
    expect(reasons).toEqual(["error"]);
  });

  test("errors and unsubscribes when the opening event cannot be encoded", async () => {
    const broker = await brokerWith(0);
    const { reader, reasons } = open(broker, { openingEvent: () => ({ event: "bad\nname", data: "" }) });
    let code: string | undefined;
    // The retry frame may reach a pending read before the opening event fails.
    await readUntil(reader, () => false).catch((error: unknown) => {
      code = error instanceof SseError ? error.code : "other";
    });
    expect(code).toBe("INVALID_EVENT_NAME");
    expect(reasons).toEqual(["error"]);
    expect(broker.subscriberCount).toBe(0);
  });
});

describe("createEventStream options", () => {
  test("rejects bad options when created", () => {
    const broker = new MemoryBroker();
    const codeOf = (options: EventStreamOptions): string | undefined => {
      try {
        createEventStream(broker, options);
      } catch (error) {
        return error instanceof SseError ? error.code : "other";
      }
      return undefined;
    };
    expect(codeOf({ maxBufferBytes: 0 })).toBe("INVALID_OPTION");
    expect(codeOf({ maxBufferBytes: 1.5 })).toBe("INVALID_OPTION");
    expect(codeOf({ retryMs: -1 })).toBe("INVALID_RETRY");
    expect(codeOf({ gapEventName: "a\nb" })).toBe("INVALID_EVENT_NAME");
    expect(broker.subscriberCount).toBe(0);
  });
});

describe("createEventStream keepalive", () => {
  test("joins the shared hub while open and writes its comment between frames", async () => {
    const timer = createManualInterval();
    const hub = createKeepAliveHub(timer);
    const broker = await brokerWith(0);
    const { reader } = open(broker, { keepAlive: hub, retryMs: false, openingEvent: () => ({ data: "hi" }) });
    await readFrames(reader, 1);
    expect(hub.size).toBe(1);
    timer.tick();
    await broker.publish({ data: "m1" });
    const first = await readFrames(reader, 1);
    timer.tick();
    const second = await readUntil(reader, (read) => read !== "");
    expect(first.text + second.text).toBe(`: keepalive\nid: ${id(1)}\ndata: m1\n\n: keepalive\n`);
    await reader.cancel();
    expect(hub.size).toBe(0);
    expect(timer.active).toBe(0);
  });

  test("skips the keepalive while bytes are still queued for the client", async () => {
    const timer = createManualInterval();
    const hub = createKeepAliveHub(timer);
    const broker = await brokerWith(0);
    const { reader } = open(broker, { keepAlive: hub, retryMs: false });
    await settle();
    await broker.publish({ data: "m1" });
    timer.tick();
    const { text } = await readFrames(reader, 1);
    expect(text).toBe(`id: ${id(1)}\ndata: m1\n\n`);
    await reader.cancel();
  });
});

describe("createEventStream slow consumers", () => {
  test("disconnects a client that never reads while another keeps receiving", async () => {
    const broker = await brokerWith(0);
    const counters = createEventStreamCounters();
    const stuck = open(broker, { maxBufferBytes: 256, counters, retryMs: false });
    const reading = open(broker, { maxBufferBytes: 256, counters, retryMs: false });
    await settle();
    const received: string[] = [];
    for (let index = 1; index <= 50; index++) {
      await broker.publish({ data: `payload ${index}`.padEnd(40, ".") });
      const { text } = await readFrames(reading.reader, 1);
      received.push(...framesOf(text));
    }
    expect(received.length).toBe(50);
    expect(stuck.reasons).toEqual(["slow-consumer"]);
    expect(counters.slowConsumerDisconnects).toBe(1);
    expect(broker.subscriberCount).toBe(1);
    let failed = false;
    await stuck.reader.read().catch(() => {
      failed = true;
    });
    expect(failed).toBe(true);
    await reading.reader.cancel();
  });

  test("feeds a replay larger than the buffer as the client reads, without disconnecting it", async () => {
    const broker = await brokerWith(200);
    const { reader, reasons } = open(broker, { maxBufferBytes: 300, lastEventId: id(0), retryMs: false });
    const { text } = await readFrames(reader, 200);
    expect(parseChunks([text]).events.map((event) => event.data)).toEqual(Array.from({ length: 200 }, (_, index) => `m${index + 1}`));
    expect(reasons).toEqual([]);
    await reader.cancel();
  });

  test("keeps live events in order behind a replay that is still being fed", async () => {
    const broker = await brokerWith(20);
    const { reader, reasons } = open(broker, { maxBufferBytes: 200, lastEventId: id(0), retryMs: false });
    await settle();
    await broker.publish({ data: "live1" });
    await broker.publish({ data: "live2" });
    const { text } = await readFrames(reader, 22);
    const data = parseChunks([text]).events.map((event) => event.data);
    expect(data.slice(-3)).toEqual(["m20", "live1", "live2"]);
    expect(data.length).toBe(22);
    expect(reasons).toEqual([]);
    await reader.cancel();
  });

  test("disconnects a client stuck behind its replay once live bytes pass the limit", async () => {
    const broker = await brokerWith(20);
    const { reasons } = open(broker, { maxBufferBytes: 200, lastEventId: id(0), retryMs: false });
    await settle();
    for (let index = 0; index < 10 && reasons.length === 0; index++) await broker.publish({ data: "x".repeat(50) });
    expect(reasons).toEqual(["slow-consumer"]);
    expect(broker.subscriberCount).toBe(0);
  });
});

describe("createEventStream replay against the buffer limit", () => {
  test("counts queued replay bytes against the limit when live events wait behind it", async () => {
    // 40 replayed frames of ~25 bytes: half the 400-byte buffer is queued, the rest waits.
    const broker = await brokerWith(40);
    const feeder = createManualInterval();
    const { reasons } = open(broker, { maxBufferBytes: 400, lastEventId: id(0), retryMs: false, replayTicker: createSharedTicker({ intervalMs: 10, ...feeder }) });
    await settle();
    // 150 live bytes alone are within the limit; with ~200 queued replay bytes they are not.
    await broker.publish({ data: "x".repeat(70) });
    expect(reasons).toEqual([]);
    await broker.publish({ data: "x".repeat(70) });
    await broker.publish({ data: "x".repeat(70) });
    expect(reasons).toEqual(["slow-consumer"]);
    expect(broker.subscriberCount).toBe(0);
  });

  test("disconnects a reader that reads nothing of its replay for a whole keepalive interval", async () => {
    const broker = await brokerWith(200);
    const keepAliveTimer = createManualInterval();
    const hub = createKeepAliveHub(keepAliveTimer);
    const feeder = createManualInterval();
    const counters = createEventStreamCounters();
    const { reasons } = open(broker, {
      maxBufferBytes: 300,
      lastEventId: id(0),
      retryMs: false,
      keepAlive: hub,
      counters,
      replayTicker: createSharedTicker({ intervalMs: 10, ...feeder }),
    });
    await settle();
    feeder.tick();
    keepAliveTimer.tick();
    expect(reasons).toEqual([]);
    keepAliveTimer.tick();
    expect(reasons).toEqual(["slow-consumer"]);
    expect(counters.slowConsumerDisconnects).toBe(1);
    expect(broker.subscriberCount).toBe(0);
    expect(hub.size).toBe(0);
  });

  test("keeps a reader that makes progress on its replay, and stops the feeder when it is done", async () => {
    const broker = await brokerWith(60);
    const keepAliveTimer = createManualInterval();
    const feeder = createManualInterval();
    const ticker = createSharedTicker({ intervalMs: 10, ...feeder });
    const { reader, reasons } = open(broker, {
      maxBufferBytes: 300,
      lastEventId: id(0),
      retryMs: false,
      keepAlive: createKeepAliveHub(keepAliveTimer),
      replayTicker: ticker,
    });
    const received: string[] = [];
    while (received.length < 60) {
      const { text } = await readFrames(reader, 1);
      received.push(...framesOf(text));
      if (received.length % 5 === 0) keepAliveTimer.tick();
      feeder.tick();
    }
    expect(received.at(-1)).toBe(`id: ${id(60)}\ndata: m60`);
    expect(reasons).toEqual([]);
    expect(ticker.size).toBe(0);
    await reader.cancel();
  });
});
