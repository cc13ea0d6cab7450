// Topics end to end: a real server, `fetch` streams read with sse-core's parser and the
// `eventsource` package. Isolation, delivery once, multi-topic resume, gaps per topic, and the
// default topic's bytes.
import { EventSource } from "eventsource";
import { describe, expect, test } from "vitest";
import { Changes } from "./support/changes.ts";
import { openStream, publish, type StreamReader, trigger, withServer } from "./support/server.ts";

/** The events of a stream after its opening `connected` event, as `[topic, data]` pairs (`-` for no topic line). */
function received(stream: StreamReader): [string, string][] {
  return stream.events.filter((event) => event.type !== "connected").map((event) => [event.topic ?? "-", event.data]);
}

/** Waits until a stream holds `count` events after its `connected` event. */
function waitFor(stream: StreamReader, count: number, timeoutMs = 10_000): Promise<void> {
  return stream.until(() => received(stream).length >= count, `${count} events`, timeoutMs);
}

/** The `connected` event's id: the stream's resume cursor. */
async function cursorOf(stream: StreamReader): Promise<string> {
  const [connected] = await stream.waitForEvents("connected", 1);
  return connected?.lastEventId ?? "";
}

describe("topics on a real server", () => {
  test("a client never sees another topic's events, patterns included (fetch and EventSource)", async () => {
    await withServer({}, async (url) => {
      const queries = { a: "?topic=a", b: "?topic=b", prefix: "?topic=a/*", all: "?topic=*", none: "" };
      const streams = Object.fromEntries(
        await Promise.all(Object.entries(queries).map(async ([name, query]) => [name, await openStream(url, { query })] as const)),
      ) as Record<keyof typeof queries, StreamReader>;
      const source = new EventSource(new URL("/events/stream?topic=a/*", url).href);
      const seen: string[] = [];
      const changes = new Changes();
      for (const type of ["message", "order"]) {
        source.addEventListener(type, (event: MessageEvent) => {
          seen.push(`${event.type}:${String(event.data)}`);
          changes.notify();
        });
      }
      const opened = new Promise<void>((resolve) => source.addEventListener("connected", () => resolve(), { once: true }));
      try {
        await Promise.all([...Object.values(streams).map(cursorOf), opened]);
        for (const [topic, data] of [["a", 1], ["b", 2], ["a/x", 3], ["a/x/y", 4], ["ab", 5], ["c", 6]] as const) {
          expect((await publish(url, { topic, event: topic === "a/x" ? "order" : undefined, data })).status).toBe(200);
        }
        expect((await trigger(url, "t")).status).toBe(200);
        // A last event every stream follows: once it arrived, everything published before it has too.
        await publish(url, { topics: ["a", "b", "a/end", "events"], data: "end" });
        await Promise.all(Object.values(streams).map((stream) => stream.until(() => stream.events.some((e) => e.data === '"end"'), "the last event")));
        await changes.until(() => seen.includes('message:"end"'), "the last event at the EventSource");

        expect(received(streams.a)).toEqual([["a", "1"], ["a", '"end"']]);
        expect(received(streams.b)).toEqual([["b", "2"], ["b", '"end"']]);
        expect(received(streams.prefix)).toEqual([["a/x", "3"], ["a/x/y", "4"], ["a/end", '"end"']]);
        expect(received(streams.all)).toEqual([
          ["a", "1"], ["b", "2"], ["a/x", "3"], ["a/x/y", "4"], ["ab", "5"], ["c", "6"], ["-", '{"message":"t"}'], ["a", '"end"'],
        ]);
        expect(received(streams.none)).toEqual([["-", '{"message":"t"}'], ["-", '"end"']]);
        // EventSource ignores the topic: field; it still gets exactly its topics' events.
        expect(seen).toEqual(["order:3", "message:4", 'message:"end"']);
      } finally {
        source.close();
        for (const stream of Object.values(streams)) stream.close();
      }
    });
  });

  test("one event published to several followed topics arrives once, live and on resume, named by the first topic it matches", async () => {
    await withServer({}, async (url) => {
      const query = "?topic=a&topic=b&topic=a/*&topic=*";
      const live = await openStream(url, { query });
      try {
        const cursor = await cursorOf(live);
        const answer = await publish(url, { topics: ["b", "a/1", "a"], data: "once" });
        expect(answer.body).toMatchObject({ topics: ["b", "a/1", "a"], clients: 1 });
        await publish(url, { topic: "a", data: "after" });
        await waitFor(live, 2);
        expect(received(live)).toEqual([["b", '"once"'], ["a", '"after"']]);
        const resumed = await openStream(url, { query, lastEventId: cursor });
        try {
          await waitFor(resumed, 2);
          expect(received(resumed)).toEqual([["b", '"once"'], ["a", '"after"']]);
          expect(resumed.events.map((event) => event.lastEventId).slice(1)).toEqual([answer.body.id, live.events.at(-1)?.lastEventId]);
        } finally {
          resumed.close();
        }
      } finally {
        live.close();
      }
    });
  });

  test("resumes 1,000 events across 10 topics exactly once and in order with one Last-Event-ID", async () => {
    await withServer({}, async (url) => {
      const query = "?topic=t/0&topic=t/1&topic=t/2&topic=t/3&topic=t/4&topic=u/*";
      const first = await openStream(url, { query });
      const cursor = await cursorOf(first);
      first.close();
      const expected: [string, string][] = [];
      for (let i = 0; i < 1000; i++) {
        // Ten followed topics (t/0-t/4 exactly, u/0-u/4 by pattern), events of other topics between them.
        const topic = i % 2 === 0 ? `t/${(i / 2) % 5}` : `u/${((i - 1) / 2) % 5}`;
        const answer = await publish(url, { topic, event: "tick", data: i });
        expect(answer.status).toBe(200);
        expected.push([topic, String(i)]);
        if (i % 10 === 0) await publish(url, { topics: [`w/${i}`, "v", "u", "t"], data: "other" });
      }
      const resumed = await openStream(url, { query, lastEventId: cursor });
      try {
        await waitFor(resumed, 1000, 20_000);
        const ids = resumed.events.slice(1).map((event) => event.lastEventId);
        expect(received(resumed)).toEqual(expected);
        expect(new Set(ids).size).toBe(1000);
        expect(resumed.events.some((event) => event.type === "gap")).toBe(false);
        // Nothing more arrives after the last one: a marker on a followed topic comes next.
        await publish(url, { topic: "t/0", data: "marker" });
        await waitFor(resumed, 1001);
        expect(received(resumed).at(-1)).toEqual(["t/0", '"marker"']);
      } finally {
        resumed.close();
      }
    });
  }, 60_000);

  test("a gap names the trimmed topic (--history) and replays what every followed topic still holds", async () => {
    await withServer({ historySize: 5 }, async (url) => {
      const query = "?topic=a&topic=b&topic=c/*";
      const first = await openStream(url, { query });
      const cursor = await cursorOf(first);
      first.close();
      for (let i = 0; i < 8; i++) await publish(url, { topic: "a", data: `a${i}` });
      await publish(url, { topic: "b", data: "b0" });
      await publish(url, { topic: "c/1", data: "c0" });
      const resumed = await openStream(url, { query, lastEventId: cursor });
      try {
        const [gap] = await resumed.waitForEvents("gap", 1);
        expect(JSON.parse(gap?.data ?? "")).toMatchObject({ requestedId: cursor, reason: "too-old", topics: ["a"] });
        await waitFor(resumed, 8);
        expect(received(resumed).slice(1)).toEqual([
          ["a", '"a3"'], ["a", '"a4"'], ["a", '"a5"'], ["a", '"a6"'], ["a", '"a7"'], ["b", '"b0"'], ["c/1", '"c0"'],
        ]);
      } finally {
        resumed.close();
      }
    });
  });

  test("a gap names the evicted topics (--max-retained-topics, least recently published first)", async () => {
    await withServer({ maxRetainedTopics: 2 }, async (url) => {
      const query = "?topic=a&topic=b&topic=z";
      const first = await openStream(url, { query });
      const cursor = await cursorOf(first);
      first.close();
      for (const topic of ["a", "b", "x", "z"]) await publish(url, { topic, data: topic });
      const resumed = await openStream(url, { query, lastEventId: cursor });
      try {
        const [gap] = await resumed.waitForEvents("gap", 1);
        expect(JSON.parse(gap?.data ?? "")).toMatchObject({ requestedId: cursor, reason: "too-old", topics: ["a", "b"] });
        await waitFor(resumed, 2);
        expect(received(resumed).slice(1)).toEqual([["z", '"z"']]);
      } finally {
        resumed.close();
      }
      const metrics = await (await fetch(new URL("/metrics", url))).text();
      expect(metrics).toContain("events_retained_topics 2\n");
      expect(metrics).toContain("events_topic_evictions_total 2\n");
    });
  });
});

describe("the default topic on the wire", () => {
  test("is byte for byte the stream it was before topics: retry, connected, trigger, resume and gap", async () => {
    await withServer({ retryMs: 3000, keepAliveMs: false, historySize: 2 }, async (url) => {
      for (const query of ["", "?topic=events"]) {
        const stream = await openStream(url, { query });
        try {
          const cursor = await cursorOf(stream);
          const sent = await trigger(url, 'a "b"\nc');
          expect(sent.body.status).toBe("Event broadcast to 1 clients");
          await stream.waitForEvents("message", 1);
          expect(stream.text()).toBe(
            "retry: 3000\n\n" +
              `id: ${cursor}\nevent: connected\ndata: {"message":"Connected to SSE stream","clients":1,"replayed":0}\n\n` +
              `id: ${sent.body.id}\ndata: {"message":"a \\"b\\"\\nc"}\n\n`,
          );
        } finally {
          stream.close();
        }
      }
      // A resume from an id history no longer covers: the gap's JSON without topics, as before.
      const stale = await openStream(url);
      const staleCursor = await cursorOf(stale);
      stale.close();
      const ids: string[] = [];
      for (const message of ["1", "2", "3"]) ids.push((await trigger(url, message)).body.id ?? "");
      const resumed = await openStream(url, { lastEventId: staleCursor });
      try {
        await resumed.waitForEvents("message", 2);
        const [connected] = resumed.events;
        const gap = resumed.events.find((event) => event.type === "gap");
        expect(resumed.text()).toBe(
          "retry: 3000\n\n" +
            `id: ${connected?.lastEventId}\nevent: connected\ndata: {"message":"Connected to SSE stream","clients":1,"replayed":2}\n\n` +
            `event: gap\ndata: ${gap?.data}\n\n` +
            `id: ${ids[1]}\ndata: {"message":"2"}\n\n` +
            `id: ${ids[2]}\ndata: {"message":"3"}\n\n`,
        );
        expect(Object.keys(JSON.parse(gap?.data ?? "{}"))).toEqual(["requestedId", "oldestId", "reason"]);
      } finally {
        resumed.close();
      }
    });
  });
});
