import { describe, expect, test } from "vitest";
import { createEventsClient } from "./client.ts";
import { EventsClientError } from "./errors.ts";
import { messages, runStream } from "./test-support/run-stream.ts";
import { frame, sse } from "./test-support/scripted-fetch.ts";

/** A frame with a `topic:` line, as the server writes events of a non-default topic. */
function topicFrame(id: string, topic: string, event: string | undefined, data: unknown): string {
  return `id: ${id}\n${event === undefined ? "" : `event: ${event}\n`}topic: ${topic}\ndata: ${JSON.stringify(data)}\n\n`;
}

const connected = frame("e-0", "connected", { message: "hi", clients: 1, replayed: 0 });

describe("stream: topics", () => {
  test("sends no topic parameter without topics", async () => {
    const run = await runStream([sse([connected])]);
    expect(run.requests[0]?.url).toBe("http://events.test/events/stream");
  });

  test("sends each topic and pattern as a repeated topic parameter, in order, on every attempt", async () => {
    const topics = ["orders/42", "users/7/*", "*"];
    const run = await runStream([sse([connected], "error"), sse([])], { stream: { topics } });
    expect(run.requests).toHaveLength(3);
    for (const request of run.requests) expect(new URL(request.url).searchParams.getAll("topic")).toEqual(topics);
  });

  test("resumes every topic with the connection's one Last-Event-ID", async () => {
    const run = await runStream(
      [sse([connected, topicFrame("e-1", "a", undefined, { message: "x" }), topicFrame("e-2", "b/1", undefined, { message: "y" })], "error"), sse([])],
      { stream: { topics: ["a", "b/*"] } },
    );
    expect(messages(run.events)).toEqual(["x", "y"]);
    expect(run.requests[1]?.headers.get("last-event-id")).toBe("e-2");
    expect(new URL(run.requests[1]?.url ?? "").searchParams.getAll("topic")).toEqual(["a", "b/*"]);
  });

  test("gives each event the topic of its topic: field, and the default topic when it has none", async () => {
    const run = await runStream([sse([connected, topicFrame("e-1", "orders/42", undefined, { message: "o" }), frame("e-2", undefined, { message: "d" })])], {
      stream: { topics: ["orders/42", "events"] },
    });
    expect(run.events.map((event) => [event.type, event.topic])).toEqual([
      ["connected", "events"],
      ["message", "orders/42"],
      ["message", "events"],
    ]);
  });

  test("uses the client's defaultTopic for events without a topic: field", async () => {
    const run = await runStream([sse([connected, frame("e-1", undefined, { message: "d" })])], { client: { defaultTopic: "main" } });
    expect(run.events.map((event) => event.topic)).toEqual(["main", "main"]);
  });

  test("refuses an empty topic list and an invalid pattern before sending anything", async () => {
    const client = createEventsClient("http://events.test", { fetch: () => Promise.reject(new Error("no request expected")) });
    for (const topics of [[], ["orders/4*"], ["a//b"], [""], ["é"]]) {
      const error = ((): unknown => {
        try {
          client.stream({ topics });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(EventsClientError);
      expect((error as EventsClientError).code).toBe("INVALID_OPTION");
      expect((error as EventsClientError).message).toContain("topics");
    }
  });

  test("refuses a defaultTopic that is not a topic name", () => {
    expect(() => createEventsClient("http://events.test", { defaultTopic: "a/*" })).toThrow(EventsClientError);
    expect(() => createEventsClient("http://events.test", { defaultTopic: "" })).toThrow(/defaultTopic/);
  });
});

describe("stream: event types beyond the contract", () => {
  const published = topicFrame("e-1", "orders/42", "order.updated", { total: 12, items: ["a"] });
  const other = topicFrame("e-2", "orders/42", "order.deleted", null);
  const after = topicFrame("e-3", "orders/42", undefined, { message: "m" });

  test("delivers every event type with its parsed JSON data and topic when the client does not know the contract's names", async () => {
    const run = await runStream([sse([published, other, after])], { stream: { topics: ["orders/42"] } });
    expect(run.events).toEqual([
      { type: "order.updated", data: { total: 12, items: ["a"] }, id: "e-1", topic: "orders/42" },
      { type: "order.deleted", data: null, id: "e-2", topic: "orders/42" },
      { type: "message", data: { message: "m" }, id: "e-3", topic: "orders/42" },
    ]);
  });

  test("yields a type outside knownEvents as unknown, with its raw data text", async () => {
    const run = await runStream([sse([published, other, after])], { client: { knownEvents: ["order.updated", "message"] } });
    expect(run.events).toEqual([
      { type: "order.updated", data: { total: 12, items: ["a"] }, id: "e-1", topic: "orders/42" },
      { type: "order.deleted", data: null, raw: "null", id: "e-2", topic: "orders/42", unknown: true },
      { type: "message", data: { message: "m" }, id: "e-3", topic: "orders/42" },
    ]);
  });

  test("yields an unknown event whose data is not JSON with data undefined and goes on", async () => {
    const run = await runStream([sse(["event: tick\nid: e-1\ndata: {nope\ndata: x\n\n", after])], { client: { knownEvents: ["message"] } });
    expect(run.error).toBeUndefined();
    expect(run.events).toEqual([
      { type: "tick", data: undefined, raw: "{nope\nx", id: "e-1", topic: "events", unknown: true },
      { type: "message", data: { message: "m" }, id: "e-3", topic: "orders/42" },
    ]);
  });

  test("skips a type outside knownEvents with onUnknownEvent: skip", async () => {
    const run = await runStream([sse([published, other, after])], { client: { knownEvents: ["message"] }, stream: { onUnknownEvent: "skip" } });
    expect(run.events.map((event) => event.type)).toEqual(["message"]);
  });

  test("never takes connected or gap for unknown", async () => {
    const gap = frame("e-0", "gap", { requestedId: "x", oldestId: null, reason: "unknown" });
    const run = await runStream([sse([connected, gap])], { client: { knownEvents: ["order.updated"] }, stream: { onUnknownEvent: "skip" } });
    expect(run.events.map((event) => [event.type, event.unknown])).toEqual([
      ["connected", undefined],
      ["gap", undefined],
    ]);
  });

  test("still accepts events: all, which changes nothing", async () => {
    const run = await runStream([sse([published, other, after])], { stream: { events: "all" } });
    expect(run.events.map((event) => `${event.type} ${JSON.stringify(event.data)}`)).toEqual([
      'order.updated {"total":12,"items":["a"]}',
      "order.deleted null",
      'message {"message":"m"}',
    ]);
  });

  test("fails with INVALID_EVENT_DATA on an event of a known type whose data is not JSON", async () => {
    const run = await runStream([sse(["event: order.updated\nid: e-1\ndata: {nope\n\n"])], { client: { knownEvents: ["order.updated"] } });
    expect((run.error as EventsClientError).code).toBe("INVALID_EVENT_DATA");
  });

  test("refuses an events list, an unknown onUnknownEvent and a knownEvents that is not a list of names", () => {
    const client = createEventsClient("http://events.test");
    expect(() => client.stream({ events: ["order.updated"] as unknown as "all" })).toThrow(/events only takes "all"/);
    expect(() => client.stream({ onUnknownEvent: "drop" as "skip" })).toThrow(/onUnknownEvent/);
    expect(() => createEventsClient("http://events.test", { knownEvents: "message" as unknown as string[] })).toThrow(/knownEvents/);
    expect(() => createEventsClient("http://events.test", { knownEvents: [""] })).toThrow(EventsClientError);
  });
});
