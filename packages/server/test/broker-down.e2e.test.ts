import { RedisBroker } from "@events/redis-broker";
import { describe, expect, test } from "vitest";
import { freePort } from "./support/free-port.ts";
import { rawExchange } from "./support/raw-http.ts";
import { withServer } from "./support/server.ts";

describe("a server whose Redis is down", () => {
  test("answers a new stream 200 with retry: and then ends it cleanly, so EventSource reconnects after retry", async () => {
    const broker = new RedisBroker({ url: `redis://127.0.0.1:${await freePort()}`, commandTimeoutMs: 500 });
    try {
      await withServer({ retryMs: 2500 }, async (url) => {
        const answer = await rawExchange(
          url,
          `GET /events/stream HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n`,
        );
        const headEnd = answer.indexOf("\r\n\r\n");
        expect(headEnd).toBeGreaterThan(0);
        const head = answer.slice(0, headEnd).toLowerCase();
        expect(head).toMatch(/^http\/1\.1 200 /);
        expect(head).toContain("content-type: text/event-stream");
        // A complete body, not a reset: exactly the retry frame, sized or chunked and terminated.
        const body = answer.slice(headEnd + 4);
        const frame = "retry: 2500\n\n";
        if (head.includes("transfer-encoding: chunked")) expect(body).toBe(`${frame.length.toString(16)}\r\n${frame}\r\n0\r\n\r\n`);
        else expect({ length: /content-length: (\d+)/.exec(head)?.[1], body }).toEqual({ length: String(frame.length), body: frame });
      }, { broker });
    } finally {
      await broker.close();
    }
  });
});
