import { describe, expect, test } from "vitest";
import { openRawStream } from "./support/raw-client.ts";
import { spawnServer, within } from "./support/server-process.ts";
import { openStream, trigger } from "./support/server.ts";

describe("bun run server (the Bun entry as a process)", () => {
  test("ends every stream and exits 0 within 5 s on SIGTERM", async () => {
    const server = spawnServer({ args: ["--http-port", "0", "--host", "127.0.0.1"] });
    try {
      const url = await within(server.url, 15_000, "the server to print its URL");
      const stream = await openStream(url);
      await stream.waitForEvents("connected", 1);
      await trigger(url, "before shutdown");
      await stream.waitForEvents("message", 1);
      const signalledAt = Date.now();
      server.child.kill("SIGTERM");
      expect(await within(stream.closed, 5000, "the stream to end")).toBe("ended");
      expect(await within(server.exited, 5000, "the process to exit")).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(5000);
      expect(server.output()).toContain("SIGTERM, shutting down");
    } finally {
      await server.stop();
    }
  }, 30_000);

  test("cuts a client that stops reading with one log line and no stack, and ends the others' streams cleanly", async () => {
    // The Bun entry serves streams on Bun's direct stream (runtime/bun-direct-body.ts): its
    // slow-consumer cut aborts the response without Bun printing a reason.
    const server = spawnServer({ args: ["--http-port", "0", "--host", "127.0.0.1", "--max-buffer", "65536", "--keepalive", "0"] });
    try {
      const url = await within(server.url, 15_000, "the server to print its URL");
      const slow = openRawStream(url);
      const healthy = await openStream(url);
      await slow.until(() => slow.events.length >= 1, "the slow client's connected event");
      slow.socket.pause();
      const payload = "x".repeat(8 * 1024);
      let cut = false;
      let sent = 0;
      for (let i = 0; i < 2000 && !cut; i++) {
        expect((await trigger(url, `${i}:${payload}`)).status).toBe(200);
        sent += 1;
        if (i % 50 === 49) cut = /^events_slow_client_disconnects_total 1$/m.test(await (await fetch(new URL("/metrics", url))).text());
      }
      expect(cut).toBe(true);
      slow.socket.destroy();
      await trigger(url, "after the cut");
      // Every event reached the client that kept reading, the last one after the cut.
      await healthy.waitForEvents("message", sent + 1);
      expect(healthy.messages().at(-1)).toBe("after the cut");
      server.child.kill("SIGTERM");
      expect(await within(healthy.closed, 5000, "the healthy stream to end")).toBe("ended");
      expect(await within(server.exited, 5000, "the process to exit")).toBe(0);
      const output = server.output();
      expect(output).toMatch(/reason=slow-consumer|"reason":"slow-consumer"/);
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toMatch(/error/i);
    } finally {
      await server.stop();
    }
  }, 60_000);

  test("exits 0 on SIGINT with no client connected", async () => {
    const server = spawnServer({ args: ["--http-port", "0", "--host", "127.0.0.1"] });
    try {
      await within(server.url, 15_000, "the server to print its URL");
      server.child.kill("SIGINT");
      expect(await within(server.exited, 5000, "the process to exit")).toBe(0);
    } finally {
      await server.stop();
    }
  }, 30_000);

  test("lists every flag with its environment twin on --help and exits 0", async () => {
    const server = spawnServer({ args: ["--help"] });
    expect(await within(server.exited, 15_000, "--help to exit")).toBe(0);
    for (const flag of ["--http-port", "--host", "--history", "--keepalive", "--retry", "--max-clients", "--max-body", "--trigger-token", "--cors-origin", "--broker", "--redis-url"]) {
      expect(server.output()).toContain(flag);
    }
    expect(server.output()).toContain("EVENTS_HTTP_PORT");
  }, 30_000);

  const badStarts: [string, string[], Record<string, string>, RegExp][] = [
    ["a non-numeric port", ["--http-port", "abc"], {}, /^events-server: --http-port must be an integer from 0 to 65535 \(got "abc"\)$/],
    ["an unknown broker", ["--broker", "kafka"], {}, /--broker must be memory, redis or postgres/],
    ["an unknown flag", ["--nope"], {}, /^events-server: unknown flag --nope \(see --help\)$/],
    ["a bad environment twin", [], { EVENTS_MAX_CLIENTS: "0" }, /^events-server: EVENTS_MAX_CLIENTS must be an integer from 1/],
  ];
  for (const [name, args, env, reason] of badStarts) {
    test(`exits 2 with a one-line reason for ${name}`, async () => {
      const server = spawnServer({ args, env });
      try {
        expect(await within(server.exited, 15_000, "the process to exit")).toBe(2);
        const lines = server.output().trim().split("\n");
        expect(lines.length).toBe(1);
        expect(lines[0]).toMatch(reason);
      } finally {
        await server.stop();
      }
    }, 30_000);
  }
});
