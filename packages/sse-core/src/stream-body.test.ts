import { describe, expect, test } from "vitest";
import { type EventStreamCloseReason, createEventStream } from "./event-stream.ts";
import { createFlushScheduler } from "./flush-scheduler.ts";
import { MemoryBroker } from "./memory-broker.ts";
import type { ByteSink, ByteSource, StreamBody } from "./stream-body.ts";
import { settle } from "./test-support/stream-reader.ts";

const utf8 = new TextDecoder();

/** A sink that records every call, with a queue size the test sets (as a transport that stopped taking bytes). */
function recordingSink() {
  const calls: string[] = [];
  const sink = {
    queued: 0,
    enqueue(chunk: Uint8Array) {
      calls.push(utf8.decode(chunk));
    },
    get desiredSize(): number {
      return -sink.queued;
    },
    close() {
      calls.push("close");
    },
    error(reason?: unknown) {
      calls.push(`error ${String(reason)}`);
    },
  } satisfies ByteSink & { queued: number };
  return { sink, calls };
}

/** A body the test drives: it keeps the stream's source and starts it when the test says. */
function capturingBody() {
  const captured: { source?: ByteSource } = {};
  const body: StreamBody = (source) => {
    captured.source = source;
    return new ReadableStream<Uint8Array>();
  };
  return { body, captured };
}

describe("createEventStream on a body of its own", () => {
  test("hands the body its source; started with a sink, the stream writes its frames there and closes it cleanly", async () => {
    const { body, captured } = capturingBody();
    const controller = new AbortController();
    const reasons: EventStreamCloseReason[] = [];
    const turns: Array<() => void> = [];
    const broker = new MemoryBroker({ epoch: 1 });
    const returned = createEventStream(broker, {
      body,
      retryMs: 1000,
      signal: controller.signal,
      flushScheduler: createFlushScheduler({ schedule: (run) => void turns.push(run) }),
      onClose: (reason) => reasons.push(reason),
    });
    expect(returned).toBeInstanceOf(ReadableStream);
    // Nothing subscribes before the body starts the source (Bun's direct stream starts it on its first pull).
    expect(broker.subscriberCount).toBe(0);
    const { sink, calls } = recordingSink();
    await captured.source?.start(sink);
    await settle();
    expect(broker.subscriberCount).toBe(1);
    broker.publishSync({ data: "a" });
    while (turns.length > 0) turns.shift()?.();
    controller.abort();
    expect(calls).toEqual(["retry: 1000\n\n", "id: 1-1\ndata: a\n\n", "close"]);
    expect(reasons).toEqual(["aborted"]);
    expect(broker.subscriberCount).toBe(0);
  });

  test("reads the sink's desiredSize as its queue: a client past maxBufferBytes is cut with error()", async () => {
    const { body, captured } = capturingBody();
    const reasons: EventStreamCloseReason[] = [];
    const broker = new MemoryBroker({ epoch: 1 });
    createEventStream(broker, { body, retryMs: false, maxBufferBytes: 100, quietErrors: true, onClose: (reason) => reasons.push(reason) });
    const { sink, calls } = recordingSink();
    await captured.source?.start(sink);
    await settle();
    // The transport stopped taking bytes: 150 are waiting there.
    sink.queued = 150;
    broker.publishSync({ data: "x".repeat(40) });
    broker.publishSync({ data: "x".repeat(40) });
    broker.publishSync({ data: "x".repeat(40) });
    await settle();
    expect(reasons).toEqual(["slow-consumer"]);
    expect(calls.at(-1)).toBe("error undefined");
    expect(broker.subscriberCount).toBe(0);
  });

  test("cancelling the source unsubscribes at once, before it started too", async () => {
    const { body, captured } = capturingBody();
    const reasons: EventStreamCloseReason[] = [];
    const broker = new MemoryBroker({ epoch: 1 });
    createEventStream(broker, { body, onClose: (reason) => reasons.push(reason) });
    captured.source?.cancel();
    expect(reasons).toEqual(["cancelled"]);
    await captured.source?.start(recordingSink().sink);
    await settle();
    expect(broker.subscriberCount).toBe(0);
  });
});
