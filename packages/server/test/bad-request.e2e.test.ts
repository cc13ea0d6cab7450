import { describe, expect, test } from "bun:test";
import { MemoryBroker, type PublishInput, type StoredEvent } from "@events/sse-core";
import { rawBody, rawExchange } from "./support/raw-http.ts";
import { withServer } from "./support/server.ts";

const BAD_HOSTS = ["a b", "a:99999", "[::1", "%zz"];

/** What no answer may carry: Bun's development page, stack frames, source paths. */
function expectNoInternals(answer: string): void {
  expect(answer).not.toContain("<!doctype");
  expect(answer).not.toMatch(/\bat \S+ \(|\.ts:\d+|\/work\/|node_modules/);
}

describe("requests whose URL cannot be formed", () => {
  for (const host of BAD_HOSTS) {
    test(`answers 400 BAD_REQUEST as JSON for Host: ${host}`, async () => {
      await withServer({}, async (url) => {
        for (const path of ["/nope", "/events/stream", "/events/trigger"]) {
          const answer = await rawExchange(url, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
          expect(answer.startsWith("HTTP/1.1 400 ")).toBe(true);
          expectNoInternals(answer);
          expect(JSON.parse(rawBody(answer))).toEqual({
            error: { code: "BAD_REQUEST", message: expect.stringContaining("Host header") },
          });
        }
      });
    });
  }

  test("serves an HTTP/1.0 stream request that has no Host", async () => {
    await withServer({}, async (url) => {
      const answer = await rawExchange(url, "GET /events/stream HTTP/1.0\r\n\r\n", /event: connected\n/);
      expect(answer).toMatch(/^HTTP\/1\.[01] 200 /);
      expect(answer.toLowerCase()).toContain("content-type: text/event-stream");
      expect(answer).toContain("event: connected\n");
    });
  });

  test("opens the stream for an HTTP/1.0 request with a Host", async () => {
    await withServer({}, async (url) => {
      const answer = await rawExchange(url, `GET /events/stream HTTP/1.0\r\nHost: ${url.host}\r\n\r\n`, /event: connected\n/);
      expect(answer).toMatch(/^HTTP\/1\.[01] 200 /);
      expect(answer).toContain("event: connected\n");
    });
  });
});

/** A broker whose publish fails with a bug, not a broker condition. */
class BrokenBroker extends MemoryBroker {
  override publishSync(_input: PublishInput): StoredEvent {
    throw new TypeError("secret internals at /srv/app/src/broker.ts:12");
  }
}

describe("internal errors", () => {
  test("answers 500 INTERNAL without details, logs the error and counts it", async () => {
    const logged: unknown[] = [];
    await withServer(
      {},
      async (url) => {
        const response = await fetch(new URL("/events/trigger", url), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ message: "hi" }),
        });
        const text = await response.text();
        expect(response.status).toBe(500);
        expectNoInternals(text);
        expect(text).not.toContain("secret");
        expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: "internal server error" } });
        const metrics = await (await fetch(new URL("/metrics", url))).text();
        expect(metrics).toContain("events_internal_errors_total 1");
      },
      { broker: new BrokenBroker(), onInternalError: (error) => logged.push(error) },
    );
    expect(logged).toHaveLength(1);
    expect(String(logged[0])).toContain("secret internals");
  });
});
