import { describe, expect, test } from "vitest";
import { createEventsClient } from "./client.ts";
import { EventsClientError } from "./errors.ts";
import { FakeClock } from "./test-support/fake-clock.ts";
import { messages, runStream } from "./test-support/run-stream.ts";
import { answer, frame, scriptedFetch, sse } from "./test-support/scripted-fetch.ts";

const connected = (id: string): string => frame(id, "connected", { message: "hi", clients: 1 });
const message = (id: string, text: string): string => frame(id, undefined, { message: text });

describe("stream: events", () => {
  test("yields typed events with parsed data and their ids", async () => {
    const gap = { requestedId: "a-1", oldestId: null, reason: "too-old" };
    const run = await runStream([sse([connected("e-0"), frame("e-0", "gap", gap), message("e-1", "one\ntwo")])]);
    expect(run.error).toBeUndefined();
    expect(run.events).toEqual([
      { type: "connected", data: { message: "hi", clients: 1 }, id: "e-0", topic: "events" },
      { type: "gap", data: gap, id: "e-0", topic: "events" },
      { type: "message", data: { message: "one\ntwo" }, id: "e-1", topic: "events" },
    ]);
    expect(run.stream.lastEventId).toBe("e-1");
  });

  test("yields events split across chunks at every byte", async () => {
    const text = connected("e-0") + message("e-1", "héllo ✓");
    const run = await runStream([sse([...text])]);
    expect(messages(run.events)).toEqual(["héllo ✓"]);
  });

  test("yields an event type outside knownEvents as unknown instead of dropping it", async () => {
    const run = await runStream([sse([frame("e-1", "future", { x: 1 }), message("e-2", "kept")])], { client: { knownEvents: ["message"] } });
    expect(run.events.map((event) => [event.type, event.unknown === true])).toEqual([
      ["future", true],
      ["message", false],
    ]);
  });

  test("fails with INVALID_EVENT_DATA on a known event whose data is not JSON", async () => {
    const run = await runStream([sse([message("e-1", "ok"), "id: e-2\ndata: not json\n\n"])]);
    expect(messages(run.events)).toEqual(["ok"]);
    expect(run.error).toBeInstanceOf(EventsClientError);
    expect((run.error as EventsClientError).code).toBe("INVALID_EVENT_DATA");
    expect(run.requests).toHaveLength(1);
  });

  test("fails with EVENT_TOO_LARGE when a line grows past maxEventBytes without ending", async () => {
    const line = "x".repeat(1000);
    const run = await runStream([sse([message("e-1", "ok"), "data: ", ...Array.from({ length: 20 }, () => line)])], {
      client: { maxEventBytes: 4096 },
    });
    expect(messages(run.events)).toEqual(["ok"]);
    expect((run.error as EventsClientError).code).toBe("EVENT_TOO_LARGE");
    expect((run.error as EventsClientError).message).toContain("4096 bytes");
    expect(run.requests).toHaveLength(1);
  });

  test("fails with EVENT_TOO_LARGE when short data lines add up past maxEventBytes", async () => {
    const run = await runStream([sse(Array.from({ length: 100 }, () => "data: 0123456789012345678901234567890123456789\n"))], {
      client: { maxEventBytes: 1024 },
    });
    expect((run.error as EventsClientError).code).toBe("EVENT_TOO_LARGE");
  });

  test("accepts any number of events below maxEventBytes, each counted on its own", async () => {
    const run = await runStream([sse(Array.from({ length: 50 }, (_, i) => message(`e-${i}`, "y".repeat(200))))], {
      client: { maxEventBytes: 1024 },
    });
    expect(run.error).toBeUndefined();
    expect(run.events).toHaveLength(50);
  });

  test("sends Accept, Authorization and custom headers", async () => {
    const run = await runStream([sse([message("e-1", "x")])], { client: { token: "s3cret", headers: { "x-trace": "t1" } } });
    const headers = run.requests[0]?.headers;
    expect(run.requests[0]?.url).toBe("http://events.test/events/stream");
    expect(headers?.get("accept")).toBe("text/event-stream");
    expect(headers?.get("authorization")).toBe("Bearer s3cret");
    expect(headers?.get("x-trace")).toBe("t1");
  });
});

describe("stream: Last-Event-ID", () => {
  test("sends Last-Event-ID on every reconnect", async () => {
    const run = await runStream([
      sse([connected("e-0"), message("e-1", "a")]),
      sse([message("e-2", "b")], "error"),
      sse([message("e-3", "c")]),
    ]);
    expect(messages(run.events)).toEqual(["a", "b", "c"]);
    expect(run.requests.map((request) => request.headers.get("last-event-id"))).toEqual([null, "e-1", "e-2", "e-3"]);
  });

  test("sends the lastEventId option on the first request and reports it on id-less events", async () => {
    const run = await runStream([sse(['data: {"message":"no id"}\n\n'])], { stream: { lastEventId: "e-41" } });
    expect(run.requests[0]?.headers.get("last-event-id")).toBe("e-41");
    expect(run.events[0]?.id).toBe("e-41");
  });

  test("sends no Last-Event-ID after the server reset the id to empty", async () => {
    const run = await runStream([sse([message("e-1", "a"), 'id\ndata: {"message":"b"}\n\n']), sse([message("e-2", "c")])]);
    expect(messages(run.events)).toEqual(["a", "b", "c"]);
    expect(run.events[1]?.id).toBe("");
    expect(run.requests[1]?.headers.has("last-event-id")).toBe(false);
  });

  test("never delivers an event cut off by a dropped connection, nor its id", async () => {
    const run = await runStream([
      sse([message("e-1", "whole"), 'id: e-2\ndata: {"message":"cut'], "error"),
      sse([message("e-3", "next")]),
    ]);
    expect(messages(run.events)).toEqual(["whole", "next"]);
    expect(run.requests[1]?.headers.get("last-event-id")).toBe("e-1");
  });

  test("drops an event cut off by a body that ends cleanly", async () => {
    const run = await runStream([sse([message("e-1", "whole"), 'id: e-2\ndata: {"message":"cut"}\n']), sse([])]);
    expect(messages(run.events)).toEqual(["whole"]);
    expect(run.requests[1]?.headers.get("last-event-id")).toBe("e-1");
  });

  test("reports as lastEventId the last event handed out, not the last one parsed", async () => {
    const run = await runStream([sse([message("e-1", "a") + message("e-2", "b") + message("e-3", "c")], "hang")], { maxEvents: 1 });
    expect(run.stream.lastEventId).toBe("e-1");
  });

  test("rejects a lastEventId option containing LF", async () => {
    await expect(runStream([], { stream: { lastEventId: "a\nb" } })).rejects.toThrow(/lastEventId/);
  });
});

describe("stream: lifecycle", () => {
  test("reports connecting, open, reconnecting and closed", async () => {
    const run = await runStream([sse([message("e-1", "a")]), sse([])]);
    expect(run.statuses.map((status) => status.state)).toEqual([
      "connecting",
      "open",
      "reconnecting",
      "connecting",
      "open",
      "reconnecting",
      "connecting",
      "closed",
    ]);
    expect(run.statuses.at(-1)).toEqual({ state: "closed", reason: "no-content" });
  });

  test("closes the connection when the loop breaks", async () => {
    const run = await runStream([sse([message("e-1", "a"), message("e-2", "b")], "hang")], { maxEvents: 1 });
    expect(run.requests[0]?.signal?.aborted).toBe(true);
    expect(run.statuses.at(-1)).toEqual({ state: "closed", reason: "closed" });
    expect(run.clock.pendingDelays).toEqual([]);
  });

  test("close() ends a pending next()", async () => {
    const clock = new FakeClock({ auto: false });
    const server = scriptedFetch([sse([message("e-1", "a")], "hang")]);
    const stream = createEventsClient("http://events.test", { fetch: server.fetch, timers: clock, now: clock.now }).stream();
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ id: "e-1" });
    const pending = iterator.next();
    stream.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(server.requests[0]?.signal?.aborted).toBe(true);
  });

  test("ends without a request when the signal is already aborted", async () => {
    const run = await runStream([sse([message("e-1", "a")])], { stream: { signal: AbortSignal.abort() } });
    expect(run.events).toEqual([]);
    expect(run.requests).toHaveLength(0);
    expect(run.statuses).toEqual([{ state: "closed", reason: "aborted" }]);
  });

  test("stops for good on 204", async () => {
    const run = await runStream([answer(204), sse([message("e-1", "never")])]);
    expect(run.error).toBeUndefined();
    expect(run.events).toEqual([]);
    expect(run.requests).toHaveLength(1);
    expect(run.statuses.at(-1)).toEqual({ state: "closed", reason: "no-content" });
  });
});
