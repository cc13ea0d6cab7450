import { connect, type Socket } from "node:net";
import type { ByteSink, ByteSource } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { type BunDirectController, bunDirectBody, DirectBody, FLUSH_AT_ONCE_BYTES } from "./bun-direct-body.ts";

/** A direct controller that records its calls; `full` makes writes answer as Bun's does once its buffer is full. */
function fakeController() {
  const calls: string[] = [];
  const drains: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  let full = false;
  const controller: BunDirectController = {
    write(chunk) {
      calls.push(`write ${chunk.byteLength}`);
      if (!full) return chunk.byteLength;
      return new Promise((resolve, reject) => drains.push({ resolve: () => resolve(chunk.byteLength), reject }));
    },
    flush() {
      calls.push("flush");
    },
    end() {
      calls.push("end");
    },
  };
  return { controller, calls, drains, fill: () => (full = true) };
}

/** A body pulled once by a fake controller (as Bun does when it starts the response), with the pull's outcome. */
function pulledBody(controller: BunDirectController) {
  const { source } = recordingSource();
  const body = new DirectBody(source);
  const outcome: string[] = [];
  body.pull(controller)?.then(
    () => outcome.push("resolved"),
    (reason: unknown) => outcome.push(`rejected ${String(reason)}`),
  );
  return { body, source, outcome };
}

/** Lets promise reactions run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await Promise.resolve();
}

describe("DirectBody", () => {
  test("starts its source on the first pull only, with itself as the sink", () => {
    const { source } = recordingSource();
    const body = new DirectBody(source);
    expect(body.type).toBe("direct");
    expect(source.starts).toBe(0);
    expect(body.pull(fakeController().controller)).toBeInstanceOf(Promise);
    expect(body.pull(fakeController().controller)).toBeUndefined();
    expect(source.starts).toBe(1);
  });

  test("leaves small chunks to Bun's end-of-turn flush and flushes large ones as written; nothing is queued while Bun takes the writes", () => {
    const { controller, calls } = fakeController();
    const { body } = pulledBody(controller);
    body.enqueue(new Uint8Array(10));
    body.enqueue(new Uint8Array(FLUSH_AT_ONCE_BYTES - 1));
    expect(calls).toEqual(["write 10", `write ${FLUSH_AT_ONCE_BYTES - 1}`]);
    // A replay chunk or a joined burst goes to the kernel now, after the small ones written
    // before it (never appended to them: Bun would keep its buffer grown to fit).
    body.enqueue(new Uint8Array(FLUSH_AT_ONCE_BYTES));
    expect(calls.slice(2)).toEqual(["flush", `write ${FLUSH_AT_ONCE_BYTES}`, "flush"]);
    expect(body.desiredSize).toBe(0);
  });

  test("counts the bytes written once Bun's buffer is full until each write drains", async () => {
    const { controller, drains, fill } = fakeController();
    const { body } = pulledBody(controller);
    body.enqueue(new Uint8Array(100));
    fill();
    body.enqueue(new Uint8Array(30));
    body.enqueue(new Uint8Array(20));
    expect(body.desiredSize).toBe(-50);
    drains[0]?.resolve();
    await settle();
    expect(body.desiredSize).toBe(-20);
    // A write that fails (the socket went away) is no longer queued either.
    drains[1]?.reject(new Error("closed"));
    await settle();
    expect(body.desiredSize).toBe(0);
  });

  test("close ends the body once and resolves the pull; desiredSize is null after", async () => {
    const { controller, calls } = fakeController();
    const { body, outcome } = pulledBody(controller);
    body.close();
    body.close();
    body.error();
    await settle();
    expect(calls).toEqual(["end"]);
    expect(outcome).toEqual(["resolved"]);
    expect(body.desiredSize).toBeNull();
  });

  test("error rejects the pull with no reason (Bun aborts the response) and does not end the body", async () => {
    const { controller, calls } = fakeController();
    const { body, outcome } = pulledBody(controller);
    body.error();
    body.close();
    await settle();
    expect(calls).toEqual([]);
    expect(outcome).toEqual(["rejected undefined"]);
  });

  test("cancel resolves the pull and cancels the source, before the first pull too", async () => {
    const { controller, calls } = fakeController();
    const { body, source, outcome } = pulledBody(controller);
    body.cancel("gone");
    body.close();
    await settle();
    expect(calls).toEqual([]);
    expect(outcome).toEqual(["resolved"]);
    expect(source.cancels).toBe(1);

    const early = recordingSource();
    const unstarted = new DirectBody(early.source);
    unstarted.cancel("gone");
    expect(unstarted.pull(controller)).toBeUndefined();
    expect(early.source.starts).toBe(0);
    expect(early.source.cancels).toBe(1);
  });
});

/** A source that records what the body does with it and hands its sink to the test. */
function recordingSource() {
  let resolveSink: (sink: ByteSink) => void = () => {};
  const sinkReady = new Promise<ByteSink>((resolve) => (resolveSink = resolve));
  const source = {
    starts: 0,
    cancels: 0,
    start(sink: ByteSink) {
      source.starts += 1;
      resolveSink(sink);
    },
    cancel() {
      source.cancels += 1;
    },
  } satisfies ByteSource & Record<string, unknown>;
  return { source, sinkReady };
}

/** A raw HTTP client: what arrived, and whether and how the connection ended. */
function rawGet(port: number) {
  const socket: Socket = connect(port, "127.0.0.1");
  const state = { text: "", ended: false, errored: false, socket };
  socket.on("data", (bytes) => (state.text += bytes.toString("latin1")));
  socket.on("error", () => (state.errored = true));
  socket.on("close", () => (state.ended = true));
  socket.write("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
  return state;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

/** Serves `source` as every response's body while `body` runs. */
async function withServer(source: ByteSource, body: (port: number) => Promise<void>): Promise<void> {
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 0,
    fetch: () => new Response(bunDirectBody(source), { headers: { "content-type": "text/event-stream" } }),
  });
  try {
    await body(server.port as number);
  } finally {
    server.stop(true);
  }
}

describe("bunDirectBody on Bun.serve", () => {
  test("sends each chunk as written, and close ends the body after them", async () => {
    const { source, sinkReady } = recordingSource();
    await withServer(source, async (port) => {
      const client = rawGet(port);
      const sink = await sinkReady;
      sink.enqueue(new TextEncoder().encode("data: one\n\n"));
      await until(() => client.text.includes("data: one\n\n"), "the first chunk");
      sink.enqueue(new TextEncoder().encode("data: two\n\n"));
      sink.close();
      // The chunked body's last chunk: the response ended cleanly.
      await until(() => client.text.endsWith("0\r\n\r\n"), "the end of the body");
      expect(client.text.toLowerCase()).toContain("content-type: text/event-stream");
      expect(client.text.indexOf("data: one")).toBeLessThan(client.text.indexOf("data: two"));
      expect(source.starts).toBe(1);
      expect(source.cancels).toBe(0);
      client.socket.destroy();
    });
  });

  test("sends what is written from a timer, an immediate or a microtask within its turn, with no flush of its own", async () => {
    const { source, sinkReady } = recordingSource();
    await withServer(source, async (port) => {
      const client = rawGet(port);
      const sink = await sinkReady;
      const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
      // Each kind of turn the event stream writes from: the keepalive and replay timers, the
      // flush scheduler's immediate, a broker's promise. Each must reach the client on its own.
      setTimeout(() => sink.enqueue(encode("data: timer\n\n")), 1);
      await until(() => client.text.includes("data: timer\n\n"), "the timer's chunk");
      setImmediate(() => sink.enqueue(encode("data: immediate\n\n")));
      await until(() => client.text.includes("data: immediate\n\n"), "the immediate's chunk");
      void Promise.resolve().then(() => sink.enqueue(encode("data: microtask\n\n")));
      await until(() => client.text.includes("data: microtask\n\n"), "the microtask's chunk");
      client.socket.destroy();
    });
  });

  test("error aborts the connection and drops what was not sent", async () => {
    const { source, sinkReady } = recordingSource();
    await withServer(source, async (port) => {
      const client = rawGet(port);
      const sink = await sinkReady;
      sink.enqueue(new TextEncoder().encode("data: one\n\n"));
      await until(() => client.text.includes("data: one"), "the first chunk");
      sink.error();
      await until(() => client.ended, "the connection to close");
      expect(client.text).not.toContain("0\r\n\r\n");
    });
  });

  test("a client that goes away cancels the source, and a client that stops reading shows as queued bytes", async () => {
    const { source, sinkReady } = recordingSource();
    await withServer(source, async (port) => {
      const client = rawGet(port);
      const sink = await sinkReady;
      client.socket.pause();
      // Past what the kernel and Bun buffer for one socket (a few MB on loopback).
      const chunk = new Uint8Array(64 * 1024).fill(0x61);
      for (let written = 0; written < 32 * 1024 * 1024 && (sink.desiredSize ?? 0) > -1024 * 1024; written += chunk.byteLength) {
        sink.enqueue(chunk);
        await Bun.sleep(0);
      }
      expect(sink.desiredSize).toBeLessThanOrEqual(-1024 * 1024);
      // Reading again drains it.
      client.socket.resume();
      await until(() => sink.desiredSize === 0, "the queue to drain", 10_000);
      client.socket.destroy();
      await until(() => source.cancels === 1, "the cancel");
    });
  });

  test("a source whose start fails aborts the response and is cancelled", async () => {
    const source = {
      cancels: [] as unknown[],
      start(): Promise<void> {
        return Promise.reject(new Error("subscribe failed"));
      },
      cancel(reason?: unknown) {
        source.cancels.push(reason);
      },
    };
    await withServer(source, async (port) => {
      const client = rawGet(port);
      await until(() => client.ended, "the connection to close");
      expect(client.text).not.toContain("0\r\n\r\n");
      expect(source.cancels.map(String)).toEqual(["Error: subscribe failed"]);
    });
  });

  test("a client gone before the response starts cancels the source without starting it", async () => {
    const { source } = recordingSource();
    // Never served: the body is only made and cancelled, as Bun does when the request is aborted first.
    const body = bunDirectBody(source);
    await body.cancel();
    expect(source.cancels).toBe(1);
    expect(source.starts).toBe(0);
  });
});
