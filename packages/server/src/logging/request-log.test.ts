import { describe, expect, test } from "vitest";
import { createLogger, type LogFields } from "./logger.ts";
import { type FetchHandler, withRequestLog } from "./request-log.ts";

/** A logger keeping each line's message and fields (JSON lines, parsed back). */
function recording(): { entries: Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const entries: Record<string, unknown>[] = [];
  const logger = createLogger({ format: "json", write: (line) => entries.push(JSON.parse(line) as Record<string, unknown>) });
  return { entries, logger };
}

/** A clock advancing 2.5 ms per read. */
function steppingClock(): () => number {
  let now = 100;
  return () => (now += 2.5);
}

function fields(entry: Record<string, unknown> | undefined): LogFields {
  const { time: _time, level: _level, ...rest } = entry ?? {};
  return rest as LogFields;
}

describe("withRequestLog", () => {
  test("logs method, path without the query string, status, ms and the bytes of a body of unknown length", async () => {
    const { entries, logger } = recording();
    const handle: FetchHandler = () => Promise.resolve(new Response(JSON.stringify({ ok: "héllo" }), { status: 201, headers: { "x-a": "1" } }));
    const logged = withRequestLog(handle, { logger, now: steppingClock() });
    const response = await logged(new Request("http://localhost/events/publish?access_token=abc&x=1", { method: "POST", body: "{}" }));
    expect(response.status).toBe(201);
    expect(response.headers.get("x-a")).toBe("1");
    expect(await response.json()).toEqual({ ok: "héllo" });
    expect(entries.map(fields)).toEqual([{ msg: "request", method: "POST", path: "/events/publish", status: 201, ms: 2.5, bytes: 15 }]);
    expect(JSON.stringify(entries)).not.toContain("abc");
  });

  test("takes the bytes from Content-Length and answers a synchronous handler synchronously", () => {
    const { entries, logger } = recording();
    const answer = new Response("abc", { headers: { "content-length": "3" } });
    const logged = withRequestLog(() => answer, { logger, now: steppingClock() });
    expect(logged(new Request("http://localhost/healthz"))).toBe(answer);
    expect(entries.map(fields)).toEqual([{ msg: "request", method: "GET", path: "/healthz", status: 200, ms: 2.5, bytes: 3 }]);
  });

  test("counts no body bytes for HEAD, 204 and 304", async () => {
    const { entries, logger } = recording();
    const logged = withRequestLog((request) => new Response(null, { status: request.method === "HEAD" ? 200 : 204 }), { logger });
    await logged(new Request("http://localhost/events/stream", { method: "HEAD" }));
    await logged(new Request("http://localhost/x", { method: "DELETE" }));
    expect(entries.map((entry) => [entry["status"], entry["bytes"]])).toEqual([[200, 0], [204, 0]]);
  });

  test("leaves an event stream unlogged and untouched: the events plugin logs it when it ends", async () => {
    const { entries, logger } = recording();
    const stream = new Response(new ReadableStream(), { headers: { "content-type": "text/event-stream" } });
    const logged = withRequestLog(() => stream, { logger });
    expect(await logged(new Request("http://localhost/events/stream"))).toBe(stream);
    expect(entries).toEqual([]);
  });

  test("returns the handler itself when the logger writes no info lines", () => {
    const handle: FetchHandler = () => new Response("x");
    expect(withRequestLog(handle, { logger: createLogger({ level: "warn", write: () => undefined }) })).toBe(handle);
  });
});
