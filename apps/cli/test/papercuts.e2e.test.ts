import { describe, expect, test } from "vitest";
import { runCli, spawnCli, trigger, withServer } from "./harness.ts";

const hasConnected = (lines: string[]): boolean => lines.some((line) => line.includes(" connected "));

describe("events-cli without the service word, stdin and headers (compiled binary, real server)", () => {
  test("triggers without the service word, reads --message - from stdin, and says 1 client in the singular", async () => {
    await withServer(async (url) => {
      const listener = spawnCli(["--url", url, "stream", "--count", "1", "--json"]);
      await listener.waitFor((lines) => lines.some((line) => line.includes('"type":"connected"')), "the connected event");
      const result = await runCli(["--url", url, "trigger", "--message", "-"], { stdin: "from stdin\nsecond line\n" });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Event broadcast to 1 client \(id \S+\)\n$/);
      expect(await listener.exited()).toBe(0);
      const message = JSON.parse(listener.lines()[1] ?? "{}") as { data?: { message?: string } };
      expect(message.data?.message).toBe("from stdin\nsecond line");
    });
  });

  test("keeps Goa's form: events trigger, and says 0 clients in the plural", async () => {
    await withServer(async (url) => {
      const result = await runCli(["--url", url, "events", "trigger", "-m", "hi"]);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout).toMatch(/^Event broadcast to 0 clients \(id \S+\)\n$/);
    });
  });

  test("publishes without the service word", async () => {
    await withServer(async (url) => {
      const result = await runCli(["--url", url, "publish", "-t", "orders/1", "--data", "-", "--json"], { stdin: '{"total": 3}' });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ topics: ["orders/1"], clients: 0 });
    });
  });

  test("sends -H headers: an Authorization header passes the server's token check", async () => {
    await withServer(
      async (url) => {
        const withHeader = await runCli(["--url", url, "-H", "Authorization: Bearer s3cret", "-H", "X-Request-Id: 7", "trigger", "-m", "hi"]);
        expect(withHeader).toMatchObject({ code: 0, stderr: "" });
        const wrong = await runCli(["--url", url, "--header", "Authorization: Bearer nope", "trigger", "-m", "hi"]);
        expect(wrong.code).toBe(1);
        expect(wrong.stderr).toMatch(/HTTP 40[13]/);
      },
      { args: ["--trigger-token", "s3cret"] },
    );
  });
});

describe("events-cli stream --raw and replay marks (compiled binary, real server)", () => {
  test("prints the SSE frames as received with --raw, exactly --count event frames", async () => {
    await withServer(async (url) => {
      const cli = spawnCli(["--url", url, "stream", "--raw", "--count", "2"]);
      await cli.waitFor((lines) => lines.some((line) => line.startsWith("event: connected")), "the connected frame");
      await trigger(url, "one");
      await trigger(url, "two");
      await trigger(url, "three");
      expect(await cli.exited()).toBe(0);
      const frames = cli.stdout().split(/\n\n/).slice(0, -1);
      expect(cli.stdout().endsWith("\n\n")).toBe(true);
      expect(frames[0]).toMatch(/^retry: \d+$/);
      expect(frames[1]).toMatch(/^id: \S+\nevent: connected\ndata: \{.*"replayed":0.*\}$/);
      const events = frames.filter((frame) => frame.includes("data: "));
      expect(events.slice(1).map((frame) => /data: (.*)$/.exec(frame)?.[1])).toEqual(['{"message":"one"}', '{"message":"two"}']);
      // Every line is an SSE field or a comment, as the server wrote it.
      for (const line of cli.lines().filter((text) => text !== "")) expect(line).toMatch(/^(retry|event|id|data|topic)?:/);
    });
  });

  test("marks replayed events in human lines, the connected line saying how many follow", async () => {
    await withServer(async (url) => {
      const firstId = await trigger(url, "first");
      await trigger(url, "second");
      await trigger(url, "third");
      const cli = spawnCli(["--url", url, "stream", "--last-event-id", firstId, "--count", "3"]);
      await cli.waitFor((lines) => hasConnected(lines) && lines.length >= 3, "the connected line and the replay");
      await trigger(url, "live");
      expect(await cli.exited()).toBe(0);
      const [connected, second, third, live] = cli.lines();
      expect(connected).toMatch(/  connected  \S+  .*2 replayed from history follow\)$/);
      expect(second).toMatch(/^\S+  message    \S+  \(replayed\)  second$/);
      expect(third).toMatch(/^\S+  message    \S+  \(replayed\)  third$/);
      expect(live).toMatch(/^\S+  message    \S+  live$/);
    });
  });
});
