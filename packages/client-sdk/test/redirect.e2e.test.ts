import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createEventsClient } from "@events/client-sdk";
import { describe, expect, test } from "vitest";
import { consume } from "./test-support/consume.ts";
import { closeServer, listenOnLoopback } from "./test-support/listen.ts";

/** A server that redirects the stream with `status`, then serves one event per connection until a 204. */
async function withRedirectingServer(
  status: number,
  body: (url: string, seen: (string | undefined)[]) => Promise<void>,
): Promise<void> {
  const seen: (string | undefined)[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.url === "/events/stream") {
      response.writeHead(status, { location: "/moved/events/stream" }).end();
      return;
    }
    seen.push(request.headers["last-event-id"] as string | undefined);
    if (seen.length > 2) return void response.writeHead(204).end();
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.end(`id: r-${seen.length}\ndata: {"message":"m${seen.length}"}\n\n`);
  });
  const url = await listenOnLoopback(server);
  try {
    await body(url, seen);
  } finally {
    server.closeAllConnections();
    await closeServer(server);
  }
}

describe("stream behind a redirect", () => {
  for (const status of [307, 308]) {
    test(`follows a ${status} redirect and keeps sending Last-Event-ID`, async () => {
      await withRedirectingServer(status, async (url, seen) => {
        const client = createEventsClient(url, { reconnect: { initialDelayMs: 1, maxDelayMs: 5 } });
        const consumer = consume(client.stream({ lastEventId: "r-0" }));
        expect(await consumer.finished).toBeUndefined();
        expect(consumer.messages).toEqual(["m1", "m2"]);
        expect(seen).toEqual(["r-0", "r-1", "r-2"]);
      });
    });
  }
});
