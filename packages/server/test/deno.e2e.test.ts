import { describe, expect, test } from "vitest";
import { denoMissing as isDenoMissing } from "./support/deno.ts";
import { spawnServer, within } from "./support/server-process.ts";
import { rawBody, rawExchange } from "./support/raw-http.ts";
import { openStream, publish, trigger } from "./support/server.ts";

const denoMissing = isDenoMissing("the Deno server test");

describe("deno task server (the same app under Deno.serve)", () => {
  test.skipIf(denoMissing)("streams a trigger, and ends streams and exits 0 on SIGTERM", async () => {
    const server = spawnServer({ runtime: "deno", args: ["--http-port", "0", "--host", "127.0.0.1", "--keepalive", "0"] });
    try {
      const url = await within(server.url, 60_000, "the Deno server to print its URL");
      expect(server.output()).toContain("runtime: deno");
      const stream = await openStream(url);
      expect(stream.response.headers.get("content-type")).toBe("text/event-stream");
      const [connected] = await stream.waitForEvents("connected", 1);
      expect(JSON.parse(connected?.data ?? "")).toEqual({ message: "Connected to SSE stream", clients: 1, replayed: 0 });
      const answer = await trigger(url, 'from "deno"\n<ok>');
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe("Event broadcast to 1 clients");
      await stream.waitForEvents("message", 1);
      expect(stream.messages()).toEqual(['from "deno"\n<ok>']);
      const refused = await fetch(new URL("/events/trigger", url), { method: "POST", headers: { "content-type": "text/plain" }, body: "x" });
      expect(refused.status).toBe(415);
      await refused.body?.cancel();
      const badHost = await rawExchange(url, "GET /events/stream HTTP/1.1\r\nHost: a:99999\r\nConnection: close\r\n\r\n");
      expect(badHost).toMatch(/^HTTP\/1\.1 400 /);
      expect(rawBody(badHost)).toContain('"code":"BAD_REQUEST"');

      const resumed = await openStream(url, { lastEventId: connected?.lastEventId ?? "" });
      await resumed.waitForEvents("message", 1);
      expect(resumed.messages()).toEqual(['from "deno"\n<ok>']);

      // Topics: a stream following a topic and a pattern gets only their events, each named.
      const topical = await openStream(url, { query: "?topic=orders/42&topic=users/*" });
      await topical.waitForEvents("connected", 1);
      const published = await publish(url, { topics: ["users/7", "orders/42"], event: "changed", data: { n: 1 } });
      expect(published).toMatchObject({ status: 200, body: { topics: ["users/7", "orders/42"], clients: 1 } });
      await publish(url, { topic: "orders/43", data: "not followed" });
      await publish(url, { topic: "orders/42", data: "last" });
      await topical.waitForEvents("message", 1);
      expect(topical.events.slice(1).map(({ type, topic, data }) => ({ type, topic, data }))).toEqual([
        { type: "changed", topic: "users/7", data: '{"n":1}' },
        { type: "message", topic: "orders/42", data: '"last"' },
      ]);
      expect(stream.messages()).toEqual(['from "deno"\n<ok>']);
      const badTopic = await fetch(new URL("/events/stream?topic=a/**", url));
      expect(badTopic.status).toBe(400);
      expect(await badTopic.json()).toMatchObject({ error: { code: "INVALID_TOPIC_PATTERN" } });

      server.child.kill("SIGTERM");
      expect(await within(stream.closed, 5000, "the stream to end")).toBe("ended");
      expect(await within(server.exited, 5000, "the Deno process to exit")).toBe(0);
    } finally {
      await server.stop();
    }
  }, 90_000);
});
