// eventsPlugin's operations options: its logger (a stream's line when it ends, a 500's stack),
// its metrics served from a host's own endpoint, and the process metrics.
import { MemoryBroker } from "@events/sse-core";
import { Elysia } from "elysia";
import { describe, expect, test } from "vitest";
import { FakeBroker } from "../../test/support/fake-broker.ts";
import { postTrigger, request } from "../../test/support/handle.ts";
import { createLogger } from "../logging/logger.ts";
import { eventsPlugin } from "./events-plugin.ts";

/** A JSON logger keeping each entry, parsed back. */
function recordingLogger(): { entries: Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const entries: Record<string, unknown>[] = [];
  return { entries, logger: createLogger({ format: "json", write: (line) => entries.push(JSON.parse(line) as Record<string, unknown>) }) };
}

/** The value of an unlabelled sample in Prometheus text, or undefined. */
function sample(text: string, name: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe("eventsPlugin's logger", () => {
  test("gets one line per stream when it ends: method, path without the query, status, lifetime, bytes and close reason", async () => {
    const { entries, logger } = recordingLogger();
    const shutdown = new AbortController();
    const app = new Elysia().use(eventsPlugin({ logger, broker: new MemoryBroker(), signal: shutdown.signal, keepAliveMs: false }));
    const response = await request(app, "/events/stream?topic=a&topic=b/*&access_token=secret-query-token");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(entries).toEqual([]);
    await reader.cancel();
    expect(entries.length).toBe(1);
    const { time: _time, ms, ...line } = entries[0] as Record<string, unknown>;
    // The bytes the stream wrote: at least the opening frames the reader got.
    const written = line["bytes"] as number;
    expect(written).toBeGreaterThanOrEqual(first.value?.byteLength ?? 1);
    expect(line).toEqual({ level: "info", msg: "request", method: "GET", path: "/events/stream", status: 200, bytes: written, reason: "cancelled", topics: 2 });
    expect(typeof ms).toBe("number");
    expect(ms as number).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(entries)).not.toContain("secret-query-token");
    shutdown.abort();
  });

  test("says a stream ended at shutdown with reason aborted", async () => {
    const { entries, logger } = recordingLogger();
    const shutdown = new AbortController();
    const app = new Elysia().use(eventsPlugin({ logger, broker: new MemoryBroker(), signal: shutdown.signal, keepAliveMs: false }));
    const reader = ((await request(app, "/events/stream")).body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    shutdown.abort();
    while (!(await reader.read()).done);
    expect(entries.map((entry) => entry["reason"])).toEqual(["aborted"]);
  });

  test("gets an error line with the stack of each error its routes answered 500, never the answer", async () => {
    const { entries, logger } = recordingLogger();
    const broker = new FakeBroker();
    const bug = new TypeError("cannot read properties of undefined");
    broker.failPublish(bug);
    const app = new Elysia().use(eventsPlugin({ logger, broker }));
    const response = await postTrigger(app, { message: "x" });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("properties");
    expect(entries).toEqual([
      expect.objectContaining({ level: "error", msg: "internal error answered 500", error: "TypeError: cannot read properties of undefined", stack: bug.stack }),
    ]);
  });
});

describe("eventsPlugin's metrics in the host's own endpoint", () => {
  test("with metrics: false serves no /metrics, and plugin.metrics.render() joins the host's own figures", async () => {
    const events = eventsPlugin({ broker: new MemoryBroker(), metrics: false });
    const bare = new Elysia().use(events);
    expect((await request(bare, "/metrics")).status).toBe(404);

    let hostRequests = 0;
    const host = new Elysia()
      .onRequest(() => void (hostRequests += 1))
      .use(events)
      .get("/internal/metrics", () => {
        const own = `# HELP shop_requests_total Requests the shop served.\n# TYPE shop_requests_total counter\nshop_requests_total ${hostRequests}\n`;
        return new Response(own + events.metrics.render(), { headers: { "content-type": events.metrics.contentType } });
      });
    expect((await postTrigger(host, { message: "hi" })).status).toBe(200);
    const response = await request(host, "/internal/metrics");
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    expect(sample(text, "shop_requests_total")).toBe(2);
    expect(sample(text, "events_published_total")).toBe(1);
    expect(sample(text, "events_clients_connected")).toBe(0);
    // Each metric once, so the joined text is valid exposition format.
    const names = text.split("\n").filter((line) => line.startsWith("# TYPE ")).map((line) => line.split(" ")[2]);
    expect(new Set(names).size).toBe(names.length);
    // Off by default in the plugin: a host registry usually has its own process_* series.
    expect(text).not.toContain("process_cpu_seconds_total");
  });

  test("with processMetrics: true adds plausible process figures", async () => {
    const shutdown = new AbortController();
    const events = eventsPlugin({ broker: new MemoryBroker(), processMetrics: true, signal: shutdown.signal });
    const text = events.metrics.render();
    shutdown.abort();
    expect(sample(text, "process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(sample(text, "process_resident_memory_bytes")).toBeGreaterThan(1024 * 1024);
    expect(sample(text, "process_open_fds")).toBeGreaterThanOrEqual(3);
    const started = sample(text, "process_start_time_seconds") as number;
    expect(started).toBeLessThanOrEqual(Date.now() / 1000 + 1);
    expect(started).toBeGreaterThan(Date.now() / 1000 - 24 * 3600);
    const delay = sample(text, "process_event_loop_delay_seconds") as number;
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(10);
    expect(text).toContain("# TYPE process_cpu_seconds_total counter");
    expect(text).toContain("# TYPE process_resident_memory_bytes gauge");
  });
});
