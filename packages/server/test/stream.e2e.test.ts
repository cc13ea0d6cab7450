import { EventSource } from "eventsource";
import { describe, expect, test } from "vitest";
import { Changes } from "./support/changes.ts";
import { openStream, trigger, withServer } from "./support/server.ts";

interface Received {
  type: string;
  data: string;
  lastEventId: string;
}

/** An `eventsource` (WHATWG EventSource) client recording connected, message and gap events. */
function listen(url: URL, path = "/events/stream"): { source: EventSource; received: Received[]; open: Promise<void>; changes: Changes } {
  const source = new EventSource(new URL(path, url).href);
  const received: Received[] = [];
  const changes = new Changes();
  const record = (event: MessageEvent): void => {
    received.push({ type: event.type, data: String(event.data), lastEventId: event.lastEventId });
    changes.notify();
  };
  source.addEventListener("connected", record);
  source.addEventListener("message", record);
  source.addEventListener("gap", record);
  const open = new Promise<void>((resolve, reject) => {
    source.addEventListener("connected", () => resolve(), { once: true });
    source.addEventListener("error", () => reject(new Error("EventSource failed to connect")), { once: true });
  });
  return { source, received, open, changes };
}

describe("GET /events/stream", () => {
  test("answers with the SSE headers and no hop-by-hop headers", async () => {
    await withServer({}, async (url) => {
      const stream = await openStream(url);
      try {
        expect(stream.response.status).toBe(200);
        expect(stream.response.headers.get("content-type")).toBe("text/event-stream");
        expect(stream.response.headers.get("cache-control")).toBe("no-cache");
        expect(stream.response.headers.get("x-accel-buffering")).toBe("no");
        expect(stream.response.headers.get("connection")).not.toBe("close");
      } finally {
        stream.close();
      }
    });
  });

  test("opens with retry and a connected event whose id is the resume cursor", async () => {
    await withServer({ retryMs: 1234 }, async (url) => {
      const first = await trigger(url, "before");
      const stream = await openStream(url);
      try {
        const [connected] = await stream.waitForEvents("connected", 1);
        expect(stream.retries).toEqual([1234]);
        expect(JSON.parse(connected?.data ?? "")).toEqual({ message: "Connected to SSE stream", clients: 1, replayed: 0 });
        expect(connected?.lastEventId).toBe(first.body.id);
        expect(stream.events[0]?.type).toBe("connected");
      } finally {
        stream.close();
      }
    });
  });

  test("delivers one trigger to an EventSource client and a fetch client, in order", async () => {
    await withServer({}, async (url) => {
      const a = listen(url);
      const b = listen(url);
      const c = await openStream(url);
      try {
        await Promise.all([a.open, b.open, c.waitForEvents("connected", 1)]);
        const results = [];
        for (const message of ["one", "two", "three"]) results.push(await trigger(url, message));
        expect(results.map((r) => r.body.clients)).toEqual([3, 3, 3]);
        expect(results[0]?.body.status).toBe("Event broadcast to 3 clients");
        await Promise.all([a, b].map(({ changes, received }) => changes.until(() => received.length >= 4, "three messages at both EventSources")));
        await c.waitForEvents("message", 3);
        for (const client of [a, b]) {
          const messages = client.received.filter((e) => e.type === "message");
          expect(messages.map((e) => JSON.parse(e.data))).toEqual([{ message: "one" }, { message: "two" }, { message: "three" }]);
          expect(messages.map((e) => e.lastEventId)).toEqual(results.map((r) => r.body.id));
        }
        expect(c.messages()).toEqual(["one", "two", "three"]);
      } finally {
        a.source.close();
        b.source.close();
        c.close();
      }
    });
  });

  test("carries newlines, quotes and HTML in a message intact", async () => {
    await withServer({}, async (url) => {
      const a = listen(url);
      try {
        await a.open;
        const message = 'line 1\nline 2\r\nline 3\r"quoted" <script>alert(1)</script> \u2028 é 🎉';
        await trigger(url, message);
        await a.changes.until(() => a.received.some((e) => e.type === "message"), "the message");
        const event = a.received.find((e) => e.type === "message");
        expect(JSON.parse(event?.data ?? "")).toEqual({ message });
      } finally {
        a.source.close();
      }
    });
  });

  test("unsubscribes a client that goes away at once", async () => {
    await withServer({}, async (url) => {
      const stream = await openStream(url);
      await stream.waitForEvents("connected", 1);
      const health = async (): Promise<number> =>
        ((await (await fetch(new URL("/healthz", url))).json()) as { clients: number }).clients;
      expect(await health()).toBe(1);
      stream.close();
      let clients = 1;
      const deadline = Date.now() + 2000;
      while (clients !== 0 && Date.now() < deadline) clients = await health();
      expect(clients).toBe(0);
      expect((await trigger(url, "nobody")).body.clients).toBe(0);
    });
  });

  test("answers HEAD at once with the stream headers and opens no stream", async () => {
    // Elysia answers HEAD on a GET route by reading the whole body for Content-Length: on an
    // endless stream that never answers, and each such request held a client slot for good.
    await withServer({ maxClients: 2 }, async (url) => {
      for (let i = 0; i < 3; i++) {
        const head = await fetch(new URL("/events/stream", url), { method: "HEAD", signal: AbortSignal.timeout(2000) });
        expect(head.status).toBe(200);
        expect(head.headers.get("content-type")).toBe("text/event-stream");
      }
      const health = (await (await fetch(new URL("/healthz", url))).json()) as { clients: number };
      expect(health.clients).toBe(0);
      const stream = await openStream(url);
      try {
        expect(stream.response.status).toBe(200);
        await stream.waitForEvents("connected", 1);
      } finally {
        stream.close();
      }
    });
  });

  test("sends keepalive comments on an idle stream", async () => {
    await withServer({ keepAliveMs: 50 }, async (url) => {
      const stream = await openStream(url);
      try {
        await stream.until(() => stream.comments.length >= 2, "two keepalive comments", 3000);
      } finally {
        stream.close();
      }
    });
  });

  test("keeps a quiet stream open past Bun's idle timeout", async () => {
    // idleTimeout 1 s, no keepalive: only server.timeout(request, 0) keeps this stream alive.
    await withServer(
      { keepAliveMs: false },
      async (url) => {
        const stream = await openStream(url);
        try {
          await stream.waitForEvents("connected", 1);
          await new Promise((resolve) => setTimeout(resolve, 2500));
          await trigger(url, "still here");
          await stream.waitForEvents("message", 1);
          expect(stream.messages()).toEqual(["still here"]);
        } finally {
          stream.close();
        }
      },
      { idleTimeoutSeconds: 1 },
    );
  }, 10_000);
});
