import { createEventsClient, EventsClientError } from "@events/client-sdk";
import { describe, expect, test } from "vitest";
import { withServer } from "./test-support/server-process.ts";

interface Seen {
  readonly type: string;
  readonly topic: string;
  readonly data: unknown;
  readonly id: string;
}

describe("topics against the real server", () => {
  test("a stream of some topics gets exactly the events published to them, once each, with their topic", async () => {
    await withServer(async (server) => {
      const client = createEventsClient(server.url);
      const stream = client.stream({ topics: ["a", "b/*"] });
      const seen: Seen[] = [];
      const iterator = stream[Symbol.asyncIterator]();
      const next = async (): Promise<Seen> => {
        const result = await iterator.next();
        if (result.done) throw new Error("the stream ended");
        const { type, topic, data, id } = result.value;
        seen.push({ type, topic, data, id });
        return result.value;
      };
      expect((await next()).type).toBe("connected");

      expect(await client.publish({ topic: "c", data: "not followed" })).toMatchObject({ topics: ["c"], clients: 0 });
      const updated = await client.publish({ topic: "a", event: "order.updated", data: { total: 12 } });
      expect(updated).toEqual({ id: expect.any(String), topics: ["a"], clients: 1 });
      const both = await client.publish({ topics: ["b/1", "a"], data: [1, 2] });
      expect(both).toEqual({ id: expect.any(String), topics: ["b/1", "a"], clients: 1 });
      const triggered = await client.trigger("to a room", { topic: "b/rooms/7" });
      expect(triggered.clients).toBe(1);
      await client.publish({ topic: "a", event: "other.type", data: 0 });
      await client.publish({ topic: "a", data: "last" });
      while (seen.length < 6) await next();
      stream.close();

      expect(seen.slice(1).map(({ type, topic, data }) => [type, topic, data])).toEqual([
        ["order.updated", "a", { total: 12 }],
        ["message", "b/1", [1, 2]],
        ["message", "b/rooms/7", { message: "to a room" }],
        ["other.type", "a", 0],
        ["message", "a", "last"],
      ]);
      expect(seen[1]?.id).toBe(updated.id);
      expect(seen[2]?.id).toBe(both.id);
    });
  }, 60_000);

  test("one Last-Event-ID resumes every topic of a stream, in publish order, none from other topics", async () => {
    await withServer(async (server) => {
      const client = createEventsClient(server.url);
      const published: Array<{ id: string; topic: string; n: number }> = [];
      const topics = ["x", "y/1", "z", "y/2/deep", "x"];
      for (let n = 0; n < 30; n += 1) {
        const topic = topics[n % topics.length] as string;
        const { id } = await client.publish({ topic, data: n });
        published.push({ id, topic, n });
      }
      const from = published[4] as { id: string };
      const expected = published.slice(5).filter(({ topic }) => topic === "x" || topic.startsWith("y/"));
      const stream = client.stream({ topics: ["x", "y/*"], lastEventId: from.id });
      const seen: Seen[] = [];
      for await (const event of stream) {
        if (event.type === "connected") continue;
        seen.push(event);
        if (seen.length === expected.length) break;
      }
      expect(seen.map(({ id, topic, data }) => ({ id, topic, n: data }))).toEqual(expected);
      expect(stream.lastEventId).toBe(expected.at(-1)?.id);
    });
  }, 60_000);

  test("the server's 400 for a refused publish arrives as HTTP_ERROR with its JSON error", async () => {
    await withServer(async (server) => {
      const error = await createEventsClient(server.url)
        .publish({ topic: "a", event: "gap", data: 1 })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EventsClientError);
      expect(error).toMatchObject({ code: "HTTP_ERROR", status: 400, body: { error: { code: expect.any(String), message: expect.any(String) } } });
    });
  }, 60_000);
});
