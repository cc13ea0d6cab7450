import { describe, expect, test } from "vitest";
import { createEventsClient } from "./client.ts";
import { EventsClientError } from "./errors.ts";
import { FakeClock, until } from "./test-support/fake-clock.ts";
import { messages, reconnectDelays, runStream } from "./test-support/run-stream.ts";
import { answer, controlledSse, frame, networkError, noAnswer, scriptedFetch, sse } from "./test-support/scripted-fetch.ts";
import type { StreamStatus } from "./status.ts";

const message = (id: string, text: string): string => frame(id, undefined, { message: text });
const noJitter = { reconnect: { jitter: false } } as const;

describe("stream: backoff", () => {
  test("waits the reconnection time after a healthy connection drops", async () => {
    const run = await runStream([sse([message("e-1", "a")]), sse([message("e-2", "b")])]);
    expect(reconnectDelays(run.statuses)).toEqual([1000, 1000]);
  });

  test("honours the server's retry: and its later changes", async () => {
    const run = await runStream([sse(["retry: 1234\n\n", message("e-1", "a")]), sse(["retry: 50\n", message("e-2", "b")])]);
    expect(reconnectDelays(run.statuses)).toEqual([1234, 50]);
  });

  test("retries 500 with exponential backoff and full jitter", async () => {
    const run = await runStream([answer(500), answer(502), answer(500), sse([message("e-1", "a")])]);
    expect(messages(run.events)).toEqual(["a"]);
    // random() = 0.5 of ceilings 2000, 4000, 8000; then a healthy drop waits the reconnection time.
    expect(reconnectDelays(run.statuses)).toEqual([1000, 2000, 4000, 1000]);
    const reconnecting = run.statuses.filter((status) => status.state === "reconnecting");
    expect(reconnecting[0]).toMatchObject({ reason: "http-status", status: 500 });
    expect(reconnecting[1]).toMatchObject({ reason: "http-status", status: 502 });
  });

  test("draws the jitter from the injected random source", async () => {
    const draws = [0, 0.25, 0.999];
    const run = await runStream([networkError(), networkError(), networkError()], {
      client: { random: () => draws.shift() ?? 0 },
    });
    // A draw of 0 still waits the floor: minDelayMs × factor^1.
    expect(reconnectDelays(run.statuses)).toEqual([200, 1000, 7992]);
    expect(run.statuses[1]).toMatchObject({ reason: "network-error" });
  });

  test("caps the backoff at maxDelayMs", async () => {
    const steps = Array.from({ length: 8 }, () => networkError());
    const run = await runStream(steps, { client: { reconnect: { jitter: false, maxDelayMs: 10_000 } } });
    expect(reconnectDelays(run.statuses)).toEqual([2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000, 10_000]);
  });

  test("resets the backoff after a connection that delivered events", async () => {
    const run = await runStream([answer(503), answer(503), sse([message("e-1", "a")]), answer(503)], { client: noJitter });
    expect(reconnectDelays(run.statuses)).toEqual([2000, 4000, 1000, 2000]);
  });

  test("honours Retry-After on 503 and 429, in seconds and as a date", async () => {
    const clock = new FakeClock();
    const date = new Date(clock.nowMs + 90_000).toUTCString();
    const run = await runStream(
      [answer(503, { "retry-after": "7" }), answer(429, { "retry-after": date }), sse([message("e-1", "a")])],
      { clock, client: { random: () => 0 } },
    );
    expect(messages(run.events)).toEqual(["a"]);
    const delays = reconnectDelays(run.statuses);
    expect(delays[0]).toBe(7000);
    // The date is 90 s after the start; the 429 came 7 s later.
    expect(delays[1]).toBe(83_000);
  });

  test("retries 408", async () => {
    const run = await runStream([answer(408), sse([message("e-1", "a")])]);
    expect(messages(run.events)).toEqual(["a"]);
    expect(run.statuses[1]).toMatchObject({ state: "reconnecting", status: 408 });
  });
});

describe("stream: fatal answers", () => {
  test("fails with HTTP_ERROR and the server's JSON, without retry, on 404", async () => {
    const body = { error: { code: "NOT_FOUND", message: "no such route" } };
    const run = await runStream([answer(404, { "content-type": "application/json" }, JSON.stringify(body))]);
    expect(run.error).toBeInstanceOf(EventsClientError);
    expect(run.error).toMatchObject({ code: "HTTP_ERROR", status: 404, body });
    expect((run.error as Error).message).toContain("NOT_FOUND: no such route");
    expect(run.requests).toHaveLength(1);
    expect(run.statuses.at(-1)).toMatchObject({ state: "closed", reason: "error", error: run.error });
  });

  test("fails on 401 without retry", async () => {
    const run = await runStream([answer(401, {}, "who are you")]);
    expect(run.error).toMatchObject({ code: "HTTP_ERROR", status: 401, body: "who are you" });
    expect(run.requests).toHaveLength(1);
  });

  test("fails with UNEXPECTED_CONTENT_TYPE on a 200 that is not text/event-stream", async () => {
    const run = await runStream([answer(200, { "content-type": "text/html" }, "<h1>login</h1>")]);
    expect(run.error).toMatchObject({ code: "UNEXPECTED_CONTENT_TYPE", status: 200 });
    expect(run.requests).toHaveLength(1);
  });

  test("accepts text/event-stream with parameters and any case", async () => {
    const run = await runStream([sse([message("e-1", "a")], "close", { "content-type": "Text/Event-Stream; charset=utf-8" })]);
    expect(run.error).toBeUndefined();
    expect(messages(run.events)).toEqual(["a"]);
  });
});

describe("stream: heartbeat", () => {
  test("reconnects when silence passes the heartbeat timeout", async () => {
    const run = await runStream([sse([message("e-1", "a")], "hang"), sse([message("e-2", "b")])]);
    expect(messages(run.events)).toEqual(["a", "b"]);
    expect(run.statuses[2]).toMatchObject({ state: "reconnecting", reason: "heartbeat-timeout", delayMs: 1000 });
    expect(run.requests[0]?.signal?.aborted).toBe(true);
    expect(run.requests[1]?.headers.get("last-event-id")).toBe("e-1");
  });

  test("times out a request that never answers", async () => {
    const run = await runStream([noAnswer(), sse([message("e-1", "a")])], { client: { heartbeatTimeoutMs: 5000 } });
    expect(messages(run.events)).toEqual(["a"]);
    expect(run.statuses[1]).toMatchObject({ state: "reconnecting", reason: "heartbeat-timeout" });
    expect(run.clock.requestedDelays[0]).toBe(5000);
  });

  test("arms one timer per connection however many chunks arrive", async () => {
    const chunks = Array.from({ length: 200 }, (_, index) => (index % 2 === 0 ? ": ping\n\n" : message(`e-${index}`, "x")));
    const run = await runStream([sse(chunks)]);
    expect(run.events).toHaveLength(100);
    expect(run.clock.requestedDelays.filter((delay) => delay === 35_000)).toHaveLength(2);
  });

  test("keeps a connection whose keepalive comments arrive in time", async () => {
    const clock = new FakeClock({ auto: false });
    const body = controlledSse();
    const server = scriptedFetch([body.step]);
    const statuses: StreamStatus[] = [];
    const client = createEventsClient("http://events.test", {
      fetch: server.fetch,
      timers: clock,
      now: clock.now,
      onStatus: (status) => statuses.push(status),
    });
    const iterator = client.stream()[Symbol.asyncIterator]();
    const first = iterator.next();
    body.push(message("e-1", "a"));
    await first;
    const second = iterator.next();
    await clock.advance(30_000);
    body.push(": keepalive\n\n");
    await clock.advance(30_000);
    expect(statuses.map((status) => status.state)).toEqual(["connecting", "open"]);
    await clock.advance(6_000);
    // The timeout fires at 65 s (35 s after the keepalive); the reconnect that follows gets a 204.
    expect(statuses[2]).toMatchObject({ state: "reconnecting", reason: "heartbeat-timeout" });
    await iterator.return?.();
    expect(await second).toEqual({ done: true, value: undefined });
  });

  test("does not time out while the consumer holds an event", async () => {
    const clock = new FakeClock({ auto: false });
    const server = scriptedFetch([sse([message("e-1", "a")], "hang")]);
    const statuses: StreamStatus[] = [];
    const client = createEventsClient("http://events.test", {
      fetch: server.fetch,
      timers: clock,
      now: clock.now,
      onStatus: (status) => statuses.push(status),
    });
    const iterator = client.stream()[Symbol.asyncIterator]();
    await iterator.next();
    await clock.advance(100_000);
    expect(statuses.map((status) => status.state)).toEqual(["connecting", "open"]);
    const next = iterator.next();
    await clock.advance(36_000);
    expect(statuses[2]).toMatchObject({ state: "reconnecting", reason: "heartbeat-timeout" });
    await iterator.return?.();
    await next;
  });
});

describe("stream: abort", () => {
  test("aborts during a backoff wait", async () => {
    const clock = new FakeClock({ auto: false });
    const server = scriptedFetch([answer(500), sse([message("e-1", "never")])]);
    const statuses: StreamStatus[] = [];
    const controller = new AbortController();
    const client = createEventsClient("http://events.test", { fetch: server.fetch, timers: clock, now: clock.now });
    const stream = client.stream({ signal: controller.signal, onStatus: (status) => statuses.push(status) });
    const next = stream[Symbol.asyncIterator]().next();
    await until(() => statuses.at(-1)?.state === "reconnecting");
    expect(statuses.at(-1)).toMatchObject({ state: "reconnecting", status: 500 });
    controller.abort();
    expect(await next).toEqual({ done: true, value: undefined });
    expect(statuses.at(-1)).toEqual({ state: "closed", reason: "aborted" });
    expect(clock.pendingDelays).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  test("aborts while reading", async () => {
    const controller = new AbortController();
    const clock = new FakeClock({ auto: false });
    const server = scriptedFetch([sse([message("e-1", "a")], "hang")]);
    const stream = createEventsClient("http://events.test", { fetch: server.fetch, timers: clock, now: clock.now }).stream({
      signal: controller.signal,
    });
    const seen: string[] = [];
    for await (const event of stream) {
      seen.push(event.id);
      controller.abort();
    }
    expect(seen).toEqual(["e-1"]);
    expect(server.requests[0]?.signal?.aborted).toBe(true);
  });
});
