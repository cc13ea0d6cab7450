import { createEventsClient, type StreamStatus } from "@events/client-sdk";
import { createSseClient, type SseClientEvent } from "@events/client-sdk/sse";
import { describe, expect, test } from "vitest";
import { consume } from "./test-support/consume.ts";
import { withRawServer } from "./test-support/raw-http-server.ts";

const fast = { reconnect: { initialDelayMs: 1, minDelayMs: 1, maxDelayMs: 5 } } as const;
const utf8 = (text: string): number[] => [...new TextEncoder().encode(text)];
const NO_CONTENT = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";

function eventStream(frames: string): string {
  return `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n${frames}`;
}

describe("stream against a hostile server (raw sockets)", () => {
  test("sends an event id outside Latin-1 back as its UTF-8 bytes", async () => {
    const id = "é☃😀-1";
    await withRawServer(
      (_request, index) => (index === 0 ? eventStream(`id: ${id}\ndata: {"message":"a"}\n\n`) : NO_CONTENT),
      async (url, requests) => {
        const consumer = consume(createEventsClient(url, fast).stream());
        expect(await consumer.finished).toBeUndefined();
        expect(consumer.messages).toEqual(["a"]);
        expect(requests).toHaveLength(2);
        expect(requests[0]?.header("last-event-id")).toBeUndefined();
        expect([...(requests[1]?.header("last-event-id") ?? [])]).toEqual(utf8(id));
      },
    );
  });

  test("sends a lastEventId option outside Latin-1 as its UTF-8 bytes", async () => {
    await withRawServer(
      () => NO_CONTENT,
      async (url, requests) => {
        const consumer = consume(createEventsClient(url, fast).stream({ lastEventId: "x€" }));
        expect(await consumer.finished).toBeUndefined();
        expect([...(requests[0]?.header("last-event-id") ?? [])]).toEqual(utf8("x€"));
      },
    );
  });

  test("costs at most 6 requests per attempt against a redirect loop, and backs off", async () => {
    await withRawServer(
      (_request, index) => `HTTP/1.1 302 Found\r\nLocation: /loop-${index}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      async (url, requests) => {
        const reconnects: StreamStatus[] = [];
        const stream = createEventsClient(url, {
          ...fast,
          onStatus: (status) => {
            if (status.state !== "reconnecting") return;
            reconnects.push(status);
            if (reconnects.length === 2) stream.close();
          },
        }).stream();
        const consumer = consume(stream);
        expect(await consumer.finished).toBeUndefined();
        expect(reconnects.map((status) => (status.state === "reconnecting" ? status.reason : status.state))).toEqual([
          "too-many-redirects",
          "too-many-redirects",
        ]);
        expect(requests).toHaveLength(12);
        expect(requests[6]?.line).toBe("GET /events/stream HTTP/1.1");
        expect(requests[5]?.line).toBe("GET /loop-4 HTTP/1.1");
      },
    );
  });

  test("createSseClient reads a raw server's events as text and resumes with the UTF-8 bytes of its id", async () => {
    const id = "é☃-7";
    await withRawServer(
      (_request, index) => (index === 0 ? eventStream(`retry: 1\nid: ${id}\nevent: note\ndata: not json\n\n`) : NO_CONTENT),
      async (url, requests) => {
        const seen: SseClientEvent[] = [];
        for await (const event of createSseClient(`${url}/feed?x=1`, fast)) seen.push(event);
        expect(seen).toEqual([{ type: "note", data: "not json", id }]);
        expect(requests.map((request) => request.line)).toEqual(["GET /feed?x=1 HTTP/1.1", "GET /feed?x=1 HTTP/1.1"]);
        expect([...(requests[1]?.header("last-event-id") ?? [])]).toEqual(utf8(id));
      },
    );
  });
});
