import { MemoryBroker } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { openRawStream, type RawStream } from "./support/raw-client.ts";
import { openStream, trigger, withServer } from "./support/server.ts";

describe("under load", () => {
  test("1,000 concurrent clients all receive a burst of 100 triggers, in order, nothing lost", async () => {
    await withServer({ maxClients: 2000, keepAliveMs: false }, async (url) => {
      const clients: RawStream[] = [];
      try {
        for (let batch = 0; batch < 10; batch++) {
          for (let i = 0; i < 100; i++) clients.push(openRawStream(url));
          await Promise.all(clients.map((c) => c.until(() => c.events.length >= 1, `${clients.length} connected events`, 20_000)));
        }
        expect(clients.every((c) => c.head?.startsWith("HTTP/1.1 200"))).toBe(true);

        // The burst: 100 triggers in flight at once, 20 connections at a time.
        const results: { id?: string }[] = [];
        await Promise.all(
          Array.from({ length: 20 }, async (_, lane) => {
            for (let i = lane; i < 100; i += 20) results[i] = (await trigger(url, `burst-${i}`)).body;
          }),
        );
        const ids = results.map((r) => r.id ?? "");
        expect(new Set(ids).size).toBe(100);
        // The broker's order, which every client must see.
        const brokerOrder = [...ids].sort((a, b) => Number(a.split("-")[1]) - Number(b.split("-")[1]));

        await Promise.all(clients.map((c) => c.until(() => c.events.length >= 101, "100 messages at every client", 30_000)));
        for (const client of clients) {
          const messages = client.events.slice(1);
          expect(messages.length).toBe(100);
          expect(messages.map((e) => e.lastEventId)).toEqual(brokerOrder);
        }
        const expectedMessages = new Set(Array.from({ length: 100 }, (_, i) => `burst-${i}`));
        const firstClient = clients[0]?.events.slice(1).map((e) => (JSON.parse(e.data) as { message: string }).message);
        expect(new Set(firstClient)).toEqual(expectedMessages);
      } finally {
        for (const client of clients) client.socket.destroy();
      }
    });
  }, 90_000);

  test("disconnects a client that stops reading at its buffer limit while others keep receiving on time", async () => {
    const broker = new MemoryBroker({ historySize: 5000, historyBytes: 64 * 1024 * 1024 });
    await withServer(
      { maxBufferBytes: 64 * 1024, keepAliveMs: false },
      async (url) => {
        const slow = openRawStream(url);
        const healthy = await openStream(url);
        try {
          await slow.until(() => slow.events.length >= 1, "the slow client's connected event");
          await healthy.waitForEvents("connected", 1);
          // Stop reading: the kernel buffers fill, then the server's queue for this client.
          slow.socket.pause();
          const payload = "x".repeat(8 * 1024);
          const lateness: number[] = [];
          let cut = false;
          for (let i = 0; i < 1500 && !cut; i++) {
            const sentAt = Date.now();
            await broker.publish({ event: "message", data: JSON.stringify({ message: `${i}:${payload}` }) });
            await healthy.waitForEvents("message", i + 1, 5000);
            lateness.push(Date.now() - sentAt);
            if (i % 50 === 49) cut = await slowCut(url);
          }
          expect(cut).toBe(true);
          const received = healthy.messages().length;
          // The healthy client got every event, each within 2 s of its publish (a blocked one would wait forever).
          expect(received).toBe(lateness.length);
          expect(Math.max(...lateness)).toBeLessThan(2000);
          // The slow client's connection was closed by the server.
          slow.socket.resume();
          await slow.until(() => slow.ended, "the slow client's connection to end", 10_000);
          expect(slow.events.length).toBeLessThan(received + 1);
        } finally {
          slow.socket.destroy();
          healthy.close();
        }
      },
      { broker },
    );
  }, 60_000);

  test("cuts stalled readers of a big replay at their buffer limit, and frees their slots", async () => {
    // 16 MiB of history: more than a stalled socket's kernel buffers take on loopback.
    const broker = new MemoryBroker({ historySize: 2048, historyBytes: 64 * 1024 * 1024 });
    const payload = "x".repeat(8 * 1024);
    for (let i = 0; i < 2048; i++) broker.publishSync({ event: "message", data: JSON.stringify({ message: `${i}:${payload}` }) });
    const readers = 20;
    await withServer(
      { maxBufferBytes: 64 * 1024, keepAliveMs: 200 },
      async (url) => {
        const stalled: RawStream[] = [];
        try {
          for (let i = 0; i < readers; i++) {
            const stream = openRawStream(url, { lastEventId: broker.origin });
            stream.socket.pause();
            stalled.push(stream);
          }
          // A paused socket reports no close: the server's own figures say who it cut.
          let metrics = "";
          for (let polls = 0; polls < 100 && !/^events_clients_connected 0$/m.test(metrics); polls++) {
            await Bun.sleep(100);
            metrics = await (await fetch(new URL("/metrics", url))).text();
          }
          expect(metrics).toMatch(new RegExp(`^events_slow_client_disconnects_total ${readers}$`, "m"));
          expect(metrics).toMatch(/^events_clients_connected 0$/m);
        } finally {
          for (const stream of stalled) stream.socket.destroy();
        }
      },
      { broker },
    );
  }, 40_000);
});

/** Whether the server has disconnected one slow client (from /metrics). */
async function slowCut(url: URL): Promise<boolean> {
  const metrics = await (await fetch(new URL("/metrics", url))).text();
  return /^events_slow_client_disconnects_total 1$/m.test(metrics);
}
