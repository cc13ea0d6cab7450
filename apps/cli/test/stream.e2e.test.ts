import { describe, expect, test } from "vitest";
import {
  CLI_BINARY,
  cleanEnv,
  runCli,
  spawnCli,
  trigger,
  withEndlessLineServer,
  withProxy,
  withServer,
  withSilentServer,
} from "./harness.ts";

interface JsonEvent {
  readonly type: string;
  readonly id: string;
  readonly data: { readonly message?: string };
  readonly time: string;
}

function parseLines(lines: readonly string[]): JsonEvent[] {
  return lines.map((line) => JSON.parse(line) as JsonEvent);
}

function messages(lines: readonly string[]): string[] {
  return parseLines(lines)
    .filter((event) => event.type === "message")
    .map((event) => event.data.message ?? "");
}

const hasConnected = (lines: string[]): boolean => lines.some((line) => line.includes('"type":"connected"'));

describe("events-cli events stream (compiled binary, real server)", () => {
  test("prints valid JSON lines and exits 0 after --count message events", async () => {
    await withServer(async (url) => {
      const cli = spawnCli(["--url", url, "events", "stream", "--count", "3", "--json"]);
      await cli.waitFor(hasConnected, "the connected event");
      for (const message of ["one", "two", "three", "four"]) await trigger(url, message);
      expect(await cli.exited()).toBe(0);
      const events = parseLines(cli.lines());
      expect(events.map((event) => event.type)).toEqual(["connected", "message", "message", "message"]);
      expect(messages(cli.lines())).toEqual(["one", "two", "three"]);
      for (const event of events) {
        expect(typeof event.id).toBe("string");
        expect(Number.isNaN(Date.parse(event.time))).toBe(false);
      }
    });
  });

  test("prints human lines without colour when stdout is not a terminal", async () => {
    await withServer(async (url) => {
      const cli = spawnCli(["--url", url, "events", "stream", "--count", "1"]);
      await cli.waitFor((lines) => lines.some((line) => line.includes(" connected ")), "the connected line");
      await trigger(url, "multi\nline <b>");
      expect(await cli.exited()).toBe(0);
      expect(cli.stdout()).not.toContain("\u001b");
      const [connected, message, continuation] = cli.lines();
      expect(connected).toMatch(/^\d\d:\d\d:\d\d\.\d{3}  connected  \S+  /);
      expect(message).toMatch(/^\d\d:\d\d:\d\d\.\d{3}  message    \S+  multi$/);
      expect(continuation?.trim()).toBe("line <b>");
    });
  });

  test("replays what followed --last-event-id", async () => {
    await withServer(async (url) => {
      const firstId = await trigger(url, "first");
      await trigger(url, "second");
      await trigger(url, "third");
      const result = await runCli(["--url", url, "events", "stream", "--last-event-id", firstId, "--count", "2", "--json"]);
      expect(result.code).toBe(0);
      expect(messages(result.stdout.trimEnd().split("\n"))).toEqual(["second", "third"]);
    });
  });

  test("resumes after the connection drops and misses nothing, saying so on stderr", async () => {
    await withServer(async (url) => {
      await withProxy(url, async (proxy) => {
        const cli = spawnCli(["--url", proxy.url, "events", "stream", "--count", "4", "--json"]);
        await cli.waitFor(hasConnected, "the connected event");
        await trigger(url, "before the drop");
        await cli.waitFor((lines) => messages(lines).length === 1, "the first message");
        proxy.cutAll();
        // Published while the CLI is disconnected: it must get them from history on resume.
        await trigger(url, "during the drop 1");
        await trigger(url, "during the drop 2");
        await cli.waitFor((lines) => lines.filter((line) => line.includes('"type":"connected"')).length === 2, "the reconnect", 20_000);
        await trigger(url, "after the drop");
        expect(await cli.exited(20_000)).toBe(0);
        expect(messages(cli.lines())).toEqual(["before the drop", "during the drop 1", "during the drop 2", "after the drop"]);
        expect(proxy.accepted).toBe(2);
        expect(cli.stderr()).toMatch(/events-cli: connection lost \(.+\); resuming after id \S+ in \d/);
        expect(cli.stderr()).toMatch(/events-cli: reconnected, resuming after id \S+/);
      });
    });
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    test(`exits 0 on ${signal}`, async () => {
      await withServer(async (url) => {
        const cli = spawnCli(["--url", url, "events", "stream", "--json"]);
        await cli.waitFor(hasConnected, "the connected event");
        cli.kill(signal);
        expect(await cli.exited(10_000)).toBe(0);
        expect(cli.stderr()).toBe("");
      });
    });
  }

  test("exits 0 when the reader of its pipe goes away", async () => {
    await withServer(async (url) => {
      const script = `"$0" --url "$1" events stream --json | head -n 1; exit "\${PIPESTATUS[0]}"`;
      const shell = Bun.spawn(["bash", "-c", script, CLI_BINARY, url], { env: cleanEnv(), stdout: "pipe", stderr: "pipe" });
      const reader = shell.stdout.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toContain('"type":"connected"');
      // head has exited; the next event the CLI writes meets a closed pipe.
      const exited = Promise.race([shell.exited, Bun.sleep(10_000).then(() => "timeout" as const)]);
      let status: number | "timeout" | undefined;
      void exited.then((value) => {
        status = value;
      });
      for (let i = 0; i < 20 && status === undefined; i++) {
        await trigger(url, `message ${i}`);
        await Bun.sleep(50);
      }
      expect(await exited).toBe(0);
      expect(await new Response(shell.stderr).text()).toBe("");
    });
  });

  test("exits 1 naming the refused connection when nothing listens", async () => {
    const result = await runCli(["--url", "http://127.0.0.1:1", "events", "stream"]);
    expect(result).toEqual({ code: 1, stdout: "", stderr: "events-cli: events stream failed: connection refused to http://127.0.0.1:1\n" });
  });

  test("exits 1 when the first connection does not answer within --timeout", async () => {
    await withSilentServer(async (url) => {
      const result = await runCli(["--url", url, "--timeout", "300ms", "events", "stream"]);
      expect(result).toEqual({ code: 1, stdout: "", stderr: `events-cli: events stream failed: no answer from ${url} within 300ms\n` });
    });
  });

  test("exits 1 with a one-line reason, not a growing buffer, when the server sends a line that never ends", async () => {
    await withEndlessLineServer(async (url) => {
      const result = await runCli(["--url", url, "events", "stream"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^events-cli: events stream failed: the stream sent over 1048576 bytes without completing an event\b.*\n$/);
    });
  });

  test("exits 1 with the server's answer for a wrong URL path", async () => {
    await withServer(async (url) => {
      const result = await runCli(["--url", `${url}/nope`, "events", "stream"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^events-cli: events stream failed: HTTP 404\b.*\n$/);
    });
  });
});
