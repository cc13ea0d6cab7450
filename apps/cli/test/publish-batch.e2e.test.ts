import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli, spawnCli, withServer } from "./harness.ts";

interface JsonEvent {
  readonly type: string;
  readonly id: string;
  readonly topic: string;
  readonly data: unknown;
}

interface PublishAnswer {
  readonly id: string;
  readonly topics: readonly string[];
  readonly clients: number;
}

const hasConnected = (lines: string[]): boolean => lines.some((line) => line.includes('"type":"connected"'));

/** Whether `ids` are consecutive event ids: one epoch, each sequence one more than the last. */
function consecutive(ids: readonly string[]): boolean {
  const parts = ids.map((id) => /^([0-9a-z]+)-(\d+)$/.exec(id));
  return parts.every((part, index) => {
    const first = parts[0];
    return part !== null && first !== null && first !== undefined && part[1] === first[1] && Number(part[2]) === Number(first[2]) + index;
  });
}

/** Runs `body` with a temporary folder, removed afterwards. */
async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "events-cli-batch-"));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("events-cli publish --batch (compiled binary, real server)", () => {
  test("a batch of 3 to 2 topics from a file arrives in order with consecutive ids, one line printed per event", async () => {
    await withServer(async (url) => {
      await withTempDir(async (dir) => {
        const file = join(dir, "events.json");
        const batch = [
          { topic: "orders/1", event: "order.paid", data: { total: 12 } },
          { topics: ["orders/1", "users/7"], data: "shipped" },
          { topic: "users/7", data: [1, 2] },
        ];
        writeFileSync(file, JSON.stringify(batch, null, 2));
        const listener = spawnCli(["--url", url, "stream", "-t", "orders/1", "-t", "users/7", "--json", "--count", "3"]);
        await listener.waitFor(hasConnected, "the connected event");

        const result = await runCli(["--url", url, "publish", "--batch", file]);
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        const printed = result.stdout.trimEnd().split("\n");
        expect(printed).toHaveLength(3);
        const ids = printed.map((line) => /\(id (\S+), 1 client\)$/.exec(line)?.[1] ?? `unexpected: ${line}`);
        expect(printed.map((line) => line.replace(/ \(id .*$/, ""))).toEqual(["Published to orders/1", "Published to orders/1, users/7", "Published to users/7"]);
        expect(consecutive(ids)).toBe(true);

        expect(await listener.exited()).toBe(0);
        const events = listener.lines().map((line) => JSON.parse(line) as JsonEvent).filter((event) => event.type !== "connected");
        expect(events.map((event) => [event.id, event.type, event.topic, event.data])).toEqual([
          [ids[0], "order.paid", "orders/1", { total: 12 }],
          [ids[1], "message", "orders/1", "shipped"],
          [ids[2], "message", "users/7", [1, 2]],
        ]);
      });
    });
  });

  test("reads NDJSON from stdin with --batch - and prints the answer array as one JSON line with --json", async () => {
    await withServer(async (url) => {
      const stdin = '{"topic":"a","data":1}\n\n{"topics":["a","b"],"event":"x","data":2}\n';
      const result = await runCli(["--url", url, "events", "publish", "--batch", "-", "--json"], { stdin });
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout.endsWith("\n")).toBe(true);
      expect(result.stdout.trimEnd().split("\n")).toHaveLength(1);
      const answer = JSON.parse(result.stdout) as PublishAnswer[];
      expect(answer).toEqual([
        { id: expect.any(String), topics: ["a"], clients: 0 },
        { id: expect.any(String), topics: ["a", "b"], clients: 0 },
      ]);
      expect(consecutive(answer.map((item) => item.id))).toBe(true);
    });
  });

  test("a batch with an item the server refuses exits 1 naming the item's index, and stores none of it", async () => {
    await withServer(async (url) => {
      const before = await runCli(["--url", url, "publish", "-t", "a", "--data", '"before"', "--json"]);
      const beforeId = (JSON.parse(before.stdout) as PublishAnswer).id;

      const stdin = '{"topic":"a","data":"one"}\n{"topic":"a","data":"two"}\n{"topic":"a","event":"gap","data":"three"}\n';
      const refused = await runCli(["--url", url, "publish", "--batch", "-"], { stdin });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toMatch(/^events-cli: events publish failed: HTTP 4\d\d \S+: batch item 2: .+\n$/);

      expect((await runCli(["--url", url, "publish", "-t", "a", "--data", '"after"'])).code).toBe(0);
      const replay = await runCli(["--url", url, "stream", "-t", "a", "--last-event-id", beforeId, "--json", "--count", "1"]);
      const events = replay.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as JsonEvent);
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ["connected", expect.objectContaining({ replayed: 1 })],
        ["message", "after"],
      ]);
    });
  });

  test("exits 2 naming inputs[i] and its line for an item the client refuses", async () => {
    // The client refuses it before any request (src/commands/publish-batch.test.ts counts them): no server needed.
    const stdin = '{"topic":"a","data":1}\n{"topic":"a/*","data":2}\n';
    const result = await runCli(["--url", "http://127.0.0.1:9", "publish", "--batch", "-"], { stdin });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^events-cli: stdin \(--batch -\): inputs\[1\] \(line 2\): topic: topic must contain only /);
  });
});
