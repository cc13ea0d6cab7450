// Auth as an operator sees it, from a real process: the JWT secret and every token a client
// sends (Bearer, cookie, query) never reach the log; an open server on a reachable address says
// so at start-up; an unreadable public key file stops the start with its reason.
import { describe, expect, test } from "vitest";
import { bearer, signTestToken, TEST_JWT_SECRET } from "./support/auth-token.ts";
import { spawnServer, startServerProcess, within } from "./support/server-process.ts";

const BASE = ["--http-port", "0", "--web-root", "/nonexistent", "--keepalive", "0"];

describe("the log with auth on", () => {
  test("never carries the JWT secret or a client's token, from a flag, a header, a cookie or the query", async () => {
    const server = await startServerProcess({ args: [...BASE, "--host", "127.0.0.1", "--jwt-secret", TEST_JWT_SECRET, "--allow-query-token"] });
    const reader = await signTestToken({ subscribe: ["orders/*"] });
    const writer = await signTestToken({ publish: ["orders/*"] });
    const cookie = await signTestToken({ subscribe: ["news/*"] });
    try {
      const url = server.listening;
      const query = new AbortController();
      const byQuery = await fetch(new URL(`/events/stream?topic=orders/1&access_token=${reader}`, url), { signal: query.signal });
      expect(byQuery.status).toBe(200);
      await (byQuery.body as ReadableStream<Uint8Array>).getReader().read();
      query.abort();
      const published = await fetch(new URL("/events/publish", url), {
        method: "POST",
        headers: { "content-type": "application/json", ...bearer(writer) },
        body: JSON.stringify({ topic: "orders/1", data: 1 }),
      });
      expect(published.status).toBe(200);
      await published.text();
      const refused = await fetch(new URL("/events/stream?topic=orders/1", url), { headers: { cookie: `events_token=${cookie}` } });
      expect(refused.status).toBe(403);
      await refused.text();
    } finally {
      expect(await server.stop("SIGTERM")).toBe(0);
    }
    const output = server.output();
    for (const secret of [TEST_JWT_SECRET, reader, writer, cookie]) expect(output).not.toContain(secret);
    expect(output).toContain("jwtSecret=[redacted]");
    expect(output).toContain("allowQueryToken=true");
    expect(output).toMatch(/ INFO request method=GET path=\/events\/stream status=403 /);
    expect(output).not.toContain("no authentication configured");
  }, 30_000);
});

describe("the start-up warning of an open server", () => {
  test("is logged when nothing guards a server bound to every interface", async () => {
    const server = await startServerProcess({ args: [...BASE, "--host", "0.0.0.0"] });
    expect(await server.stop("SIGTERM")).toBe(0);
    expect(server.output()).toMatch(/ WARN no authentication configured: anyone who reaches 0\.0\.0\.0:0 may follow and publish to every topic; /);
  }, 30_000);

  test("is not logged on a loopback address", async () => {
    const server = await startServerProcess({ args: [...BASE, "--host", "127.0.0.1"] });
    expect(await server.stop("SIGTERM")).toBe(0);
    expect(server.output()).not.toContain("WARN");
  }, 30_000);
});

describe("--jwt-public-key", () => {
  test("exits 2 naming the file when it cannot be read", async () => {
    const server = spawnServer({ args: [...BASE, "--host", "127.0.0.1", "--jwt-public-key", "/nonexistent/key.pem"] });
    expect(await within(server.exited, 15_000, "the process to exit")).toBe(2);
    expect(server.output().trim()).toBe('events-server: --jwt-public-key cannot read "/nonexistent/key.pem" (ENOENT); give a readable PEM public key file');
  }, 30_000);
});
