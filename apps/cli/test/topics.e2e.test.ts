import { describe, expect, test } from "vitest";
import { runCli, spawnCli, withServer } from "./harness.ts";

interface JsonEvent {
  readonly type: string;
  readonly id: string;
  readonly topic: string;
  readonly data: unknown;
}

const parse = (lines: readonly string[]): JsonEvent[] => lines.map((line) => JSON.parse(line) as JsonEvent);
const hasConnected = (lines: string[]): boolean => lines.some((line) => line.includes('"type":"connected"'));

describe("events-cli topics (compiled binary, real server)", () => {
  test("a stream of some topics gets exactly what events publish sends to them, each line naming its topic", async () => {
    await withServer(async (url) => {
      const topical = spawnCli(["--url", url, "events", "stream", "--topic", "a", "--topic", "b/*", "--json", "--count", "3"]);
      const plain = spawnCli(["--url", url, "events", "stream", "--json", "--count", "1"]);
      await topical.waitFor(hasConnected, "the topic stream's connected event");
      await plain.waitFor(hasConnected, "the default stream's connected event");

      const publish = async (args: string[], stdin?: string): Promise<unknown> => {
        const result = await runCli(["--url", url, "events", "publish", ...args, "--json"], stdin === undefined ? {} : { stdin });
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        return JSON.parse(result.stdout);
      };
      expect(await publish(["-t", "c", "--data", '"not followed"'])).toMatchObject({ topics: ["c"], clients: 0 });
      expect(await publish(["-t", "a", "-e", "order.updated", "--data", "-"], '{"total": 12}\n')).toMatchObject({ topics: ["a"], clients: 1 });
      expect(await publish(["-t", "b", "--data", "1"])).toMatchObject({ topics: ["b"], clients: 0 });
      expect(await publish(["-t", "b/1", "-t", "a", "--data", "[1, 2]"])).toMatchObject({ topics: ["b/1", "a"], clients: 1 });
      expect(await publish(["-t", "b/2/x", "--data", "null"])).toMatchObject({ topics: ["b/2/x"], clients: 1 });
      const trigger = await runCli(["--url", url, "events", "trigger", "-m", "default topic"]);
      expect(trigger.code).toBe(0);

      expect(await topical.exited()).toBe(0);
      expect(parse(topical.lines()).map((event) => [event.type, event.topic, event.data])).toEqual([
        ["connected", "events", expect.anything()],
        ["order.updated", "a", { total: 12 }],
        ["message", "b/1", [1, 2]],
        ["message", "b/2/x", null],
      ]);
      expect(await plain.exited()).toBe(0);
      expect(parse(plain.lines()).map((event) => [event.type, event.topic, event.data])).toEqual([
        ["connected", "events", expect.anything()],
        ["message", "events", { message: "default topic" }],
      ]);
    });
  });

  test("a stream resumes all its topics from one --last-event-id", async () => {
    await withServer(async (url) => {
      const ids: string[] = [];
      for (const [topic, data] of [["x", "1"], ["y/1", "2"], ["x", "3"], ["z", "4"], ["y/2", "5"]] as const) {
        const result = await runCli(["--url", url, "events", "publish", "-t", topic, "--data", data, "--json"]);
        ids.push((JSON.parse(result.stdout) as { id: string }).id);
      }
      const result = await runCli(["--url", url, "events", "stream", "-t", "x", "-t", "y/*", "--last-event-id", ids[0] ?? "", "--json", "--count", "3"]);
      expect(result.code).toBe(0);
      const replayed = parse(result.stdout.trimEnd().split("\n")).filter((event) => event.type !== "connected");
      expect(replayed.map((event) => [event.id, event.topic, event.data])).toEqual([
        [ids[1], "y/1", 2],
        [ids[2], "x", 3],
        [ids[4], "y/2", 5],
      ]);
    });
  });

  test("shows a non-default topic on human lines", async () => {
    await withServer(async (url) => {
      const cli = spawnCli(["--url", url, "events", "stream", "--topic", "rooms/1", "--count", "1"]);
      await cli.waitFor((lines) => lines.some((line) => line.includes(" connected ")), "the connected line");
      expect((await runCli(["--url", url, "events", "publish", "-t", "rooms/1", "--data", '{"message": "hi"}'])).code).toBe(0);
      expect(await cli.exited()).toBe(0);
      expect(cli.lines()[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}  message    \S+  \[rooms\/1\]  hi$/);
    });
  });

  test("exits 1 with the server's reason when it refuses a publish", async () => {
    await withServer(async (url) => {
      const result = await runCli(["--url", url, "events", "publish", "-t", "a", "-e", "gap", "--data", "1"]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^events-cli: events publish failed: HTTP 4\d\d \S+: .+\n$/);
    });
  });
});
