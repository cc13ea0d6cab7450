// The server's log as an operator reads it, from a real process: one line per request (a
// stream's when it ends, with its lifetime and reason), in text and JSON, the configuration at
// start-up with its secrets masked, nothing secret in any line, and nothing at all when silent.
import { describe, expect, test } from "vitest";
import { freePort } from "./support/free-port.ts";
import { type ServerProcess, spawnServer, startServerProcess, within } from "./support/server-process.ts";

const TOKEN = "trigger-token-e2e-7f3a9c";
const WRONG_TOKEN = "wrong-token-e2e-51d0";
const COOKIE_SECRET = "cookie-secret-e2e-42ab";
const QUERY_TOKEN = "query-token-e2e-9e1f";
const REDIS_PASSWORD = "redis-pass-e2e-77c2";
const SECRETS = [TOKEN, WRONG_TOKEN, COOKIE_SECRET, QUERY_TOKEN, REDIS_PASSWORD];

const ARGS = [
  "--http-port", "0", "--host", "127.0.0.1", "--web-root", "/nonexistent", "--keepalive", "0",
  "--trigger-token", TOKEN, "--redis-url", `redis://app:${REDIS_PASSWORD}@127.0.0.1:6379/0`,
];

/** Resolves once the server's output matches `pattern` (read as it arrives, no polling). */
function outputMatching(server: ServerProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (!pattern.test(server.output())) return;
      server.child.stdout?.off("data", check);
      resolve();
    };
    server.child.stdout?.on("data", check);
    check();
  });
}

/** Sends every secret the server sees: the trigger token, a wrong token, a cookie and a query token. */
async function exercise(server: ServerProcess, url: URL): Promise<void> {
  const headers = { "content-type": "application/json", cookie: `session=${COOKIE_SECRET}` };
  const trigger = await fetch(new URL(`/events/trigger?access_token=${QUERY_TOKEN}`, url), {
    method: "POST",
    headers: { ...headers, authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ message: "hello" }),
  });
  expect(trigger.status).toBe(200);
  const refused = await fetch(new URL("/events/trigger", url), {
    method: "POST",
    headers: { ...headers, authorization: `Bearer ${WRONG_TOKEN}` },
    body: JSON.stringify({ message: "hello" }),
  });
  expect(refused.status).toBe(401);
  await refused.text();
  await trigger.text();
  const reading = new AbortController();
  const stream = await fetch(new URL(`/events/stream?topic=news&access_token=${QUERY_TOKEN}`, url), { headers, signal: reading.signal });
  expect(stream.status).toBe(200);
  await (stream.body as ReadableStream<Uint8Array>).getReader().read();
  reading.abort();
  await within(outputMatching(server, /cancelled/), 10_000, "the stream's log line");
}

/**
 * Spawns the server on a free port with `args` and resolves once it answers `/healthz`: at a
 * level above info it prints no URL to wait for.
 */
async function startQuiet(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<{ server: ServerProcess; url: URL }> {
  const port = await freePort();
  const server = spawnServer({ args: [...args, "--http-port", String(port)], env });
  const url = new URL(`http://127.0.0.1:${port}/`);
  for (let attempt = 0; attempt < 200; attempt++) {
    const health = await fetch(new URL("/healthz", url)).catch(() => undefined);
    if (health?.status === 200) return { server, url };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await server.stop();
  throw new Error(`the server did not answer /healthz:\n${server.output()}`);
}

describe("the request log", () => {
  test("writes text lines: configuration with secrets masked, one per request, the stream's at its end, no secret anywhere", async () => {
    const server = await startServerProcess({ args: ARGS });
    try {
      await exercise(server, server.listening);
    } finally {
      expect(await server.stop("SIGTERM")).toBe(0);
    }
    const output = server.output();
    for (const secret of SECRETS) expect(output).not.toContain(secret);
    const lines = output.trim().split("\n");
    const stamp = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    for (const line of lines) expect(line).toMatch(new RegExp(`^${stamp} (DEBUG|INFO|WARN|ERROR) \\S`));
    const config = lines.find((line) => / INFO configuration /.test(line)) as string;
    expect(config).toContain("triggerToken=[redacted] ");
    expect(config).toContain("redisUrl=redis://app:[redacted]@127.0.0.1:6379/0");
    expect(config).toContain("logFormat=text");
    const requests = lines.filter((line) => / INFO request /.test(line));
    expect(requests.length).toBe(3);
    expect(requests[0]).toMatch(new RegExp(`^${stamp} INFO request method=POST path=/events/trigger status=200 ms=\\d+(\\.\\d+)? bytes=\\d+$`));
    expect(requests[1]).toMatch(/ INFO request method=POST path=\/events\/trigger status=401 ms=[\d.]+ bytes=\d+$/);
    expect(requests[2]).toMatch(/ INFO request method=GET path=\/events\/stream status=200 ms=[\d.]+ bytes=[1-9]\d* reason=cancelled topics=1$/);
    expect(lines.some((line) => line.endsWith("INFO events server: SIGTERM, shutting down"))).toBe(true);
  }, 30_000);

  test("writes one JSON object per line with the same fields, and no secret anywhere", async () => {
    const server = await startServerProcess({ args: [...ARGS, "--log-format", "json"] });
    try {
      await exercise(server, server.listening);
    } finally {
      expect(await server.stop("SIGTERM")).toBe(0);
    }
    const output = server.output();
    for (const secret of SECRETS) expect(output).not.toContain(secret);
    const entries = output.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const entry of entries) {
      expect(typeof entry["time"]).toBe("string");
      expect(["debug", "info", "warn", "error"]).toContain(entry["level"]);
      expect(typeof entry["msg"]).toBe("string");
    }
    expect(entries.find((entry) => entry["msg"] === "configuration")).toMatchObject({ triggerToken: "[redacted]", redisUrl: "redis://app:[redacted]@127.0.0.1:6379/0", logFormat: "json", broker: "memory" });
    const requests = entries.filter((entry) => entry["msg"] === "request");
    expect(requests.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: "POST", path: "/events/trigger", status: 200 },
      { method: "POST", path: "/events/trigger", status: 401 },
      { method: "GET", path: "/events/stream", status: 200 },
    ]);
    expect(requests[0]).toEqual({ time: expect.any(String), level: "info", msg: "request", method: "POST", path: "/events/trigger", status: 200, ms: expect.any(Number), bytes: expect.any(Number) });
    expect(requests[0]?.["bytes"]).toBeGreaterThan(20);
    // Read before toMatchObject: with expect.any() Bun 1.4.5's toMatchObject leaves the matcher in the received object.
    const streamBytes = requests[2]?.["bytes"];
    expect(requests[2]).toMatchObject({ reason: "cancelled", topics: 1, ms: expect.any(Number), bytes: expect.any(Number) });
    expect(streamBytes).toBeGreaterThan(20);
  }, 30_000);

  test("--log-level silent prints nothing, from start to shutdown", async () => {
    const { server, url } = await startQuiet([...ARGS.slice(2), "--log-level", "silent"]);
    try {
      const trigger = await fetch(new URL("/events/trigger", url), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ message: "quiet" }),
      });
      expect(trigger.status).toBe(200);
    } finally {
      expect(await server.stop("SIGTERM")).toBe(0);
    }
    expect(server.output()).toBe("");
  }, 30_000);

  test("--log-level warn writes no request lines, and --help lists both flags with their twins", async () => {
    const help = spawnServer({ args: ["--help"] });
    expect(await help.exited).toBe(0);
    expect(help.output()).toMatch(/--log-level debug\|info\|warn\|error\|silent\s+EVENTS_LOG_LEVEL\s+info\s/);
    expect(help.output()).toMatch(/--log-format text\|json\s+EVENTS_LOG_FORMAT\s+text\s/);
    const { server, url } = await startQuiet(ARGS.slice(2), { EVENTS_LOG_LEVEL: "warn" });
    try {
      expect((await fetch(new URL("/events/trigger", url), { method: "POST" })).status).toBe(401);
    } finally {
      await server.stop("SIGTERM");
    }
    expect(server.output()).not.toContain("request");
  }, 30_000);
});
