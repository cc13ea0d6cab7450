import { describe, expect, test } from "vitest";
import type { SseClientOptions } from "./sse-client.ts";
import { createSseClient, type SseClientEvent } from "./sse.ts";
import { EventsClientError } from "./errors.ts";
import type { StreamStatus } from "./status.ts";
import { FakeClock } from "./test-support/fake-clock.ts";
import { reconnectDelays } from "./test-support/run-stream.ts";
import { answer, networkError, noAnswer, scriptedFetch, sse, type RecordedRequest, type Step } from "./test-support/scripted-fetch.ts";

// The untyped client against a scripted hostile server (an injected `fetch`), on simulated time.

interface SseRun {
  readonly events: SseClientEvent[];
  readonly statuses: StreamStatus[];
  readonly requests: RecordedRequest[];
  readonly clock: FakeClock;
  readonly error: unknown;
}

async function runSse(steps: readonly Step[], options: SseClientOptions = {}, url = "https://feed.test/live?room=7"): Promise<SseRun> {
  const clock = new FakeClock();
  const server = scriptedFetch(steps);
  const statuses: StreamStatus[] = [];
  const stream = createSseClient(url, {
    fetch: server.fetch,
    timers: clock,
    now: clock.now,
    random: () => 0.5,
    onStatus: (status) => statuses.push(status),
    ...options,
  });
  const events: SseClientEvent[] = [];
  let error: unknown;
  try {
    for await (const event of stream) events.push(event);
  } catch (caught) {
    error = caught;
  }
  return { events, statuses, requests: server.requests, clock, error };
}

const redirect = (location: string): Step => answer(302, { location });

describe("createSseClient: events", () => {
  test("yields each event as text with its type, id and topic, exactly as sent", async () => {
    const run = await runSse([sse(["id: 1\ndata: plain text\n\n", "event: tick\ndata: {not json\ndata: line 2\n\n", "id: 3\nevent: x\ntopic: rooms/7\ndata:\n\n"])]);
    expect(run.error).toBeUndefined();
    expect(run.events).toEqual([
      { type: "message", data: "plain text", id: "1" },
      { type: "tick", data: "{not json\nline 2", id: "1" },
      { type: "x", data: "", id: "3", topic: "rooms/7" },
    ]);
  });

  test("sends the URL with its query, the headers, Accept and the lastEventId option", async () => {
    const run = await runSse([sse(["data: a\n\n"])], { headers: { authorization: "Bearer k", "x-app": "1" }, lastEventId: "42" });
    expect(run.requests[0]?.url).toBe("https://feed.test/live?room=7");
    expect(run.requests[0]?.headers.get("authorization")).toBe("Bearer k");
    expect(run.requests[0]?.headers.get("x-app")).toBe("1");
    expect(run.requests[0]?.headers.get("accept")).toBe("text/event-stream");
    expect(run.requests[0]?.headers.get("last-event-id")).toBe("42");
  });

  test("survives garbage between events: stray fields, comments, lone CRs, binary bytes", async () => {
    const garbage = ["\u0000\u0001\u00ff nonsense\n", ": comment\r", "weird-field: 1\r\n", "data: kept\r\r", "\uFFFD\uFFFD\n\n", "id: 9\ndata: last\n\n"];
    const run = await runSse([sse(garbage)]);
    expect(run.error).toBeUndefined();
    expect(run.events.map((event) => event.data)).toEqual(["kept", "last"]);
    expect(run.events.at(-1)?.id).toBe("9");
  });

  test("refuses a URL that is not absolute http(s), or has a fragment, before sending", () => {
    for (const url of ["/relative", "ws://feed.test/", "https://feed.test/#x", "not a url"]) {
      expect(() => createSseClient(url)).toThrow(EventsClientError);
    }
    expect(() => createSseClient("https://feed.test/", { reconnect: { factor: 0 } })).toThrow(/factor/);
    expect(() => createSseClient("https://feed.test/", { lastEventId: "a\nb" })).toThrow(/lastEventId/);
  });
});

describe("createSseClient: a hostile server", () => {
  test("retries 5xx with jittered backoff, honours Retry-After, and resumes with Last-Event-ID", async () => {
    const run = await runSse([sse(["id: e-1\ndata: a\n\n"], "error"), answer(503, { "retry-after": "7" }), answer(500), sse(["id: e-2\ndata: b\n\n"])], {
      reconnect: { jitter: false },
    });
    expect(run.events.map((event) => event.data)).toEqual(["a", "b"]);
    expect(reconnectDelays(run.statuses).slice(0, 3)).toEqual([1000, 7000, 4000]);
    expect(run.requests.slice(1, 4).map((request) => request.headers.get("last-event-id"))).toEqual(["e-1", "e-1", "e-1"]);
  });

  test("honours retry: from the server", async () => {
    const run = await runSse([sse(["retry: 2500\nid: 1\ndata: a\n\n"]), sse([])]);
    expect(reconnectDelays(run.statuses)[0]).toBe(2500);
  });

  test("stops for good on 204 No Content", async () => {
    const run = await runSse([answer(204)]);
    expect(run.error).toBeUndefined();
    expect(run.requests).toHaveLength(1);
    expect(run.statuses.at(-1)).toEqual({ state: "closed", reason: "no-content" });
  });

  test("costs 6 requests per attempt against a redirect loop, then backs off", async () => {
    const loop = Array.from({ length: 12 }, (_, index) => redirect(`/loop-${index}`));
    const run = await runSse(loop);
    const reasons = run.statuses.flatMap((status) => (status.state === "reconnecting" ? [status.reason] : []));
    expect(reasons).toEqual(["too-many-redirects", "too-many-redirects"]);
    expect(run.requests.map((request) => request.url)[5]).toBe("https://feed.test/loop-4");
    expect(run.requests[6]?.url).toBe("https://feed.test/live?room=7");
    expect(run.requests.every((request) => request.redirect === "manual")).toBe(true);
  });

  test("reconnects a silent connection when heartbeatTimeoutMs is set, and watches nothing by default", async () => {
    const watched = await runSse([noAnswer(), sse(["data: a\n\n"])], { heartbeatTimeoutMs: 5000 });
    expect(watched.statuses[1]).toMatchObject({ state: "reconnecting", reason: "heartbeat-timeout" });
    expect(watched.events.map((event) => event.data)).toEqual(["a"]);
    const unwatched = await runSse([sse(["data: a\n\n"]), networkError()]);
    expect(unwatched.clock.requestedDelays).not.toContain(35_000);
    expect(unwatched.clock.requestedDelays.every((delay) => delay < 35_000)).toBe(true);
  });

  test("fails with EVENT_TOO_LARGE on a huge line instead of buffering it", async () => {
    const run = await runSse([sse(["data: ok\n\n", "data: ", ...Array.from({ length: 40 }, () => "y".repeat(1000))])], { maxEventBytes: 8192 });
    expect(run.events.map((event) => event.data)).toEqual(["ok"]);
    expect((run.error as EventsClientError).code).toBe("EVENT_TOO_LARGE");
    expect(run.requests).toHaveLength(1);
  });

  test("fails with UNEXPECTED_CONTENT_TYPE on a page that is not an event stream, and HTTP_ERROR on a 4xx", async () => {
    const page = await runSse([answer(200, { "content-type": "text/html" }, "<h1>login</h1>")]);
    expect(page.error).toMatchObject({ code: "UNEXPECTED_CONTENT_TYPE" });
    const refused = await runSse([answer(403, {}, "no")]);
    expect(refused.error).toMatchObject({ code: "HTTP_ERROR", status: 403, body: "no" });
  });

  test("closes at once on abort, even while a request never answers", async () => {
    const controller = new AbortController();
    const server = scriptedFetch([() => new Promise<Response>(() => {})]);
    const stream = createSseClient("https://feed.test/", { fetch: server.fetch, signal: controller.signal });
    const next = stream[Symbol.asyncIterator]().next();
    controller.abort();
    expect(await next).toEqual({ done: true, value: undefined });
  });
});
