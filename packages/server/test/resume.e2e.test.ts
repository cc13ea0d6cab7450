import { describe, expect, test } from "vitest";
import { openStream, trigger, withServer } from "./support/server.ts";

async function triggerMany(url: URL, prefix: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const result = await trigger(url, `${prefix}-${i}`);
    expect(result.status).toBe(200);
    ids.push(result.body.id ?? "");
  }
  return ids;
}

describe("resuming a stream", () => {
  test("replays exactly the 50 events missed after Last-Event-ID, in order, none twice", async () => {
    await withServer({}, async (url) => {
      const first = await openStream(url);
      await first.waitForEvents("connected", 1);
      await triggerMany(url, "seen", 3);
      const seen = await first.waitForEvents("message", 3);
      const lastEventId = seen[2]?.lastEventId ?? "";
      first.close();
      const expected = Array.from({ length: 50 }, (_, i) => `missed-${i}`);
      const ids = await triggerMany(url, "missed", 50);

      const resumed = await openStream(url, { lastEventId });
      try {
        const [connected] = await resumed.waitForEvents("connected", 1);
        expect(connected?.lastEventId).toBe(lastEventId);
        expect(JSON.parse(connected?.data ?? "{}").replayed).toBe(50);
        await resumed.waitForEvents("message", 50);
        await trigger(url, "live");
        await resumed.waitForEvents("message", 51);
        expect(resumed.messages()).toEqual([...expected, "live"]);
        expect(resumed.events.filter((e) => e.type === "message").slice(0, 50).map((e) => e.lastEventId)).toEqual(ids);
        expect(resumed.events.some((e) => e.type === "gap")).toBe(false);
      } finally {
        resumed.close();
      }
    });
  });

  test("replays after ?lastEventId= on a first connect", async () => {
    await withServer({}, async (url) => {
      const ids = await triggerMany(url, "m", 5);
      const stream = await openStream(url, { query: `?lastEventId=${encodeURIComponent(ids[1] ?? "")}` });
      try {
        await stream.waitForEvents("message", 3);
        expect(stream.messages()).toEqual(["m-2", "m-3", "m-4"]);
      } finally {
        stream.close();
      }
    });
  });

  test("prefers the Last-Event-ID header over the query parameter", async () => {
    await withServer({}, async (url) => {
      const ids = await triggerMany(url, "m", 5);
      const stream = await openStream(url, { query: `?lastEventId=${ids[0]}`, lastEventId: ids[3] ?? "" });
      try {
        await stream.waitForEvents("message", 1);
        expect(stream.messages()).toEqual(["m-4"]);
      } finally {
        stream.close();
      }
    });
  });

  test("sends a gap event for a garbage id, then replays what history holds", async () => {
    await withServer({}, async (url) => {
      await triggerMany(url, "m", 2);
      const stream = await openStream(url, { lastEventId: "not-an-id" });
      try {
        const [gap] = await stream.waitForEvents("gap", 1);
        expect(JSON.parse(gap?.data ?? "")).toMatchObject({ requestedId: "not-an-id", reason: "malformed" });
        await stream.waitForEvents("message", 2);
        expect(stream.messages()).toEqual(["m-0", "m-1"]);
        expect(stream.events.map((e) => e.type)).toEqual(["connected", "gap", "message", "message"]);
      } finally {
        stream.close();
      }
    });
  });

  test("sends a gap event for an id older than history", async () => {
    await withServer({ historySize: 5 }, async (url) => {
      const ids = await triggerMany(url, "m", 12);
      const stream = await openStream(url, { lastEventId: ids[1] ?? "" });
      try {
        const [gap] = await stream.waitForEvents("gap", 1);
        const data = JSON.parse(gap?.data ?? "") as { requestedId: string; oldestId: string; reason: string };
        expect(data).toEqual({ requestedId: ids[1], oldestId: ids[7], reason: "too-old" });
        await stream.waitForEvents("message", 5);
        expect(stream.messages()).toEqual(["m-7", "m-8", "m-9", "m-10", "m-11"]);
      } finally {
        stream.close();
      }
    });
  });
});
