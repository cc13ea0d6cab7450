import { describe, expect, test } from "vitest";
import { createEventsClient } from "./client.ts";
import { EventsClientError } from "./errors.ts";
import { runStream } from "./test-support/run-stream.ts";
import { answer, frame, scriptedFetch, sse } from "./test-support/scripted-fetch.ts";

const accepted = answer(200, { "content-type": "application/json" }, JSON.stringify({ id: "e-1", topics: ["a"], clients: 0, status: "ok" }));

describe("createEventsClient: prefix", () => {
  test("finds the stream, publish and trigger routes under the prefix", async () => {
    const server = scriptedFetch([accepted, accepted]);
    const client = createEventsClient("http://host.test/app/", { fetch: server.fetch, prefix: "/rt/live" });
    await client.publish({ topic: "a", data: 1 });
    await client.trigger("hi");
    expect(server.requests.map((request) => request.url)).toEqual(["http://host.test/app/rt/live/publish", "http://host.test/app/rt/live/trigger"]);
    const run = await runStream([sse([frame("e-0", "connected", { message: "hi", clients: 1 })])], { client: { prefix: "/rt/live" }, stream: { topics: ["a"] } });
    expect(run.requests[0]?.url).toBe("http://events.test/rt/live/stream?topic=a");
  });

  test("mounts the routes at the root with an empty prefix", async () => {
    const run = await runStream([sse([])], { client: { prefix: "" } });
    expect(run.requests[0]?.url).toBe("http://events.test/stream");
  });

  test("refuses a prefix with a trailing slash, a query, an empty segment or no leading slash", () => {
    for (const prefix of ["/events/", "/events?x=1", "//events", "events", "/a b"]) {
      expect(() => createEventsClient("http://host.test", { prefix })).toThrow(EventsClientError);
    }
  });
});
