/**
 * The plugin with `streamBody: bunDirectBody` in a host served by `Bun.serve({ fetch: app.fetch })`:
 * the stream opens, delivers in order, cuts a client that stops reading, and ends cleanly at shutdown.
 */
import { Elysia } from "elysia";
import { describe, expect, test } from "vitest";
import { openRawStream } from "../../test/support/raw-client.ts";
import { bunDirectBody } from "../runtime/bun-direct-body.ts";
import { eventsPlugin } from "./events-plugin.ts";

/** The plugin under test: the Goa contract, Bun's direct stream as the body. */
function directPlugin(signal: AbortSignal, maxBufferBytes: number) {
  return eventsPlugin({ streamBody: bunDirectBody, signal, keepAliveMs: false, maxBufferBytes });
}

type Served = { plugin: ReturnType<typeof directPlugin>; controller: AbortController; url: URL };

/** A host app with the plugin on Bun's direct stream, served by `Bun.serve({ fetch: app.fetch })` while `body` runs. */
async function withHost(maxBufferBytes: number, body: (served: Served) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const plugin = directPlugin(controller.signal, maxBufferBytes);
  const app = new Elysia().get("/", () => "host").use(plugin);
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", idleTimeout: 0, fetch: app.fetch });
  try {
    await body({ plugin, controller, url: new URL(`http://127.0.0.1:${server.port}/`) });
  } finally {
    controller.abort();
    server.stop(true);
  }
}

describe("eventsPlugin with Bun's direct stream as the body", () => {
  test("delivers every publish in order and ends the body cleanly when the plugin shuts down", async () => {
    await withHost(1024 * 1024, async ({ plugin, controller, url }) => {
      const response = await fetch(new URL("/events/stream", url));
      expect(response.headers.get("content-type")).toBe("text/event-stream");
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = "";
      while (!text.includes("event: connected")) text += decoder.decode((await reader.read()).value, { stream: true });
      for (let i = 0; i < 20; i++) await plugin.publisher.publish("events", "message", { message: `m${i}` });
      controller.abort();
      // The body ends (the reader is done) after every event: nothing queued is lost at shutdown.
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
      const messages = [...text.matchAll(/^data: (\{"message":"m\d+"\})$/gm)].map((match) => (JSON.parse(match[1] as string) as { message: string }).message);
      expect(messages).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    });
  });

  test("cuts a client that stops reading at its buffer limit, counted as a slow consumer", async () => {
    await withHost(64 * 1024, async ({ plugin, url }) => {
      const slow = openRawStream(url);
      try {
        await slow.until(() => slow.events.length === 1, "the connected event");
        slow.socket.pause();
        const message = "x".repeat(8 * 1024);
        for (let i = 0; i < 4000; i++) {
          await plugin.publisher.publish("events", "message", { message });
          if (i % 100 === 99 && /^events_slow_client_disconnects_total 1$/m.test(await plugin.metrics.render())) break;
        }
        expect(await plugin.metrics.render()).toMatch(/^events_slow_client_disconnects_total 1$/m);
        slow.socket.resume();
        await slow.until(() => slow.ended, "the connection to close", 10_000);
      } finally {
        slow.socket.destroy();
      }
    });
  });
});
