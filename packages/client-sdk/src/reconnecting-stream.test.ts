import { describe, expect, test } from "vitest";
import { createEventsClient } from "./client.ts";
import type { StreamStatus } from "./status.ts";
import { FakeClock, until } from "./test-support/fake-clock.ts";
import { messages, reconnectDelays, runStream } from "./test-support/run-stream.ts";
import { answer, frame, ignoresAbort, networkError, noAnswer, scriptedFetch, sse } from "./test-support/scripted-fetch.ts";

const message = (id: string, text: string): string => frame(id, undefined, { message: text });
const worstJitter = { random: () => 0 } as const;
const MAX_TIMER_MS = 2 ** 31 - 1;

describe("stream: a hostile server", () => {
  test("backs off after retry: 0 once the server stops answering", async () => {
    const run = await runStream([sse(["retry: 0\n\n", message("e-1", "a")]), ...Array.from({ length: 5 }, () => networkError())], {
      client: worstJitter,
    });
    expect(messages(run.events)).toEqual(["a"]);
    // One reconnect at once after the healthy stream, then the floor: 100 ms × 2^failures.
    expect(reconnectDelays(run.statuses)).toEqual([0, 200, 400, 800, 1600, 3200]);
  });

  test("never reconnects at once twice in a row when every stream drops after retry: 0", async () => {
    const drop = sse(["retry: 0\n\n", message("e-1", "a")]);
    const run = await runStream([drop, drop, drop, drop], { client: worstJitter });
    expect(messages(run.events)).toEqual(["a", "a", "a", "a"]);
    expect(reconnectDelays(run.statuses)).toEqual([0, 100, 0, 100]);
  });

  test("waits at most 24 hours for a Retry-After in seconds past setTimeout's limit", async () => {
    const run = await runStream([answer(503, { "retry-after": "3000000" }), sse([message("e-1", "a")])]);
    expect(messages(run.events)).toEqual(["a"]);
    expect(reconnectDelays(run.statuses)[0]).toBe(86_400_000);
    expect(Math.max(...run.clock.requestedDelays)).toBeLessThanOrEqual(MAX_TIMER_MS);
  });

  test("waits at most 24 hours for a Retry-After date years ahead", async () => {
    const run = await runStream([answer(429, { "retry-after": "Fri, 31 Dec 9999 23:59:59 GMT" }), sse([message("e-1", "a")])]);
    expect(reconnectDelays(run.statuses)[0]).toBe(86_400_000);
    expect(Math.max(...run.clock.requestedDelays)).toBeLessThanOrEqual(MAX_TIMER_MS);
  });

  test("resumes after an id outside Latin-1, sending its UTF-8 bytes", async () => {
    const run = await runStream([sse([message("é☃😀-1", "a")]), sse([message("e-2", "b")])]);
    expect(messages(run.events)).toEqual(["a", "b"]);
    const sent = run.requests[1]?.headers.get("last-event-id") ?? "";
    expect(Array.from(sent, (unit) => unit.charCodeAt(0))).toEqual([...new TextEncoder().encode("é☃😀-1")]);
  });

  test("sends a lastEventId option outside Latin-1 as its UTF-8 bytes", async () => {
    const run = await runStream([sse([message("e-2", "b")])], { stream: { lastEventId: "x€" } });
    expect(messages(run.events)).toEqual(["b"]);
    expect(run.requests[0]?.headers.get("last-event-id")).toBe("x\u00e2\u0082\u00ac");
  });
});

describe("stream: reconnecting status", () => {
  test("carries the error that caused each reconnect", async () => {
    const run = await runStream(
      [networkError(), answer(503), sse([message("e-1", "a")]), sse([message("e-2", "b")], "hang")],
      { client: { heartbeatTimeoutMs: 5000 } },
    );
    const reconnecting = run.statuses.filter((status) => status.state === "reconnecting");
    expect(reconnecting.map((status) => [status.reason, status.error.code, status.error.status])).toEqual([
      ["network-error", "NETWORK_ERROR", undefined],
      ["http-status", "HTTP_ERROR", 503],
      ["connection-lost", "CONNECTION_LOST", undefined],
      ["heartbeat-timeout", "HEARTBEAT_TIMEOUT", undefined],
    ]);
    expect(reconnecting[0]?.error.cause).toBeInstanceOf(TypeError);
    expect(reconnecting[0]?.error.message).toContain("connection refused");
    expect(reconnecting[3]?.error.message).toContain("5000 ms");
  });
});

describe("stream: close", () => {
  test("close() ends a pending next() even when fetch ignores its signal", async () => {
    const clock = new FakeClock({ auto: false });
    const server = scriptedFetch([ignoresAbort()]);
    const statuses: StreamStatus[] = [];
    const stream = createEventsClient("http://events.test", { fetch: server.fetch, timers: clock, now: clock.now }).stream({
      onStatus: (status) => statuses.push(status),
    });
    const pending = stream[Symbol.asyncIterator]().next();
    await until(() => server.requests.length === 1);
    stream.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(statuses.at(-1)).toEqual({ state: "closed", reason: "closed" });
    expect(server.requests[0]?.signal?.aborted).toBe(true);
    expect(clock.pendingDelays).toEqual([]);
  });

  test("aborting the signal ends a pending next() even when fetch ignores it", async () => {
    const controller = new AbortController();
    const server = scriptedFetch([ignoresAbort()]);
    const clock = new FakeClock({ auto: false });
    const stream = createEventsClient("http://events.test", { fetch: server.fetch, timers: clock, now: clock.now }).stream({
      signal: controller.signal,
    });
    const pending = stream[Symbol.asyncIterator]().next();
    await until(() => server.requests.length === 1);
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  test("close() from onStatus stops before the backoff wait", async () => {
    const server = scriptedFetch([noAnswer()]);
    const clock = new FakeClock();
    let stream: ReturnType<ReturnType<typeof createEventsClient>["stream"]> | undefined;
    const client = createEventsClient("http://events.test", {
      fetch: server.fetch,
      timers: clock,
      now: clock.now,
      heartbeatTimeoutMs: 10,
      onStatus: (status) => (status.state === "reconnecting" ? stream?.close() : undefined),
    });
    stream = client.stream();
    const events: unknown[] = [];
    for await (const event of stream) events.push(event);
    expect(events).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });
});
