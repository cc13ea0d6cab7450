import { describe, expect, test } from "vitest";
import { runCli } from "../cli.ts";
import { fakeIo } from "../test-support/fake-io.ts";

const URL_FLAGS = ["--url", "http://events.test"];
const unreachable = (): Response => {
  throw new Error("no request expected");
};
const answers = [
  { id: "a-1", topics: ["orders/1"], clients: 1 },
  { id: "a-2", topics: ["orders/1", "users/7"], clients: 0 },
];

describe("events publish --batch", () => {
  test("posts the file's array as one request and prints one line per event, in order", async () => {
    const file = '[{"topic": "orders/1", "event": "order.paid", "data": {"total": 12}}, {"topics": ["orders/1", "users/7"], "data": "shipped"}]';
    const io = fakeIo(() => Response.json(answers), { EVENTS_TOKEN: "t0k" }, "", { "b.json": file });
    expect(await runCli([...URL_FLAGS, "publish", "--batch", "b.json"], io)).toBe(0);
    expect(io.out.join("")).toBe("Published to orders/1 (id a-1, 1 client)\nPublished to orders/1, users/7 (id a-2, 0 clients)\n");
    expect(io.requests).toHaveLength(1);
    expect(io.requests[0]?.url).toBe("http://events.test/events/publish");
    expect(io.requests[0]?.headers.get("authorization")).toBe("Bearer t0k");
    expect(await io.requests[0]?.json()).toEqual(JSON.parse(file));
  });

  test("reads NDJSON from stdin for --batch - and prints the answer array as one JSON line with --json", async () => {
    const stdin = '{"topic": "orders/1", "data": 1}\n\n{"topics": ["orders/1", "users/7"], "data": 2}\n';
    const io = fakeIo(() => Response.json(answers), {}, stdin);
    expect(await runCli([...URL_FLAGS, "events", "publish", "--batch", "-", "--json"], io)).toBe(0);
    expect(io.out).toEqual([`${JSON.stringify(answers)}\n`]);
    expect(await io.requests[0]?.json()).toEqual([
      { topic: "orders/1", data: 1 },
      { topics: ["orders/1", "users/7"], data: 2 },
    ]);
  });

  test("exits 2 naming inputs[i] and its line for an item the SDK refuses, without a request", async () => {
    const io = fakeIo(unreachable, {}, '{"topic": "a", "data": 1}\n\n{"topic": "a/*", "data": 2}\n');
    expect(await runCli([...URL_FLAGS, "publish", "--batch", "-"], io)).toBe(2);
    expect(io.err.join("")).toMatch(/^events-cli: stdin \(--batch -\): inputs\[1\] \(line 3\): topic: topic must contain only .*"a\/\*"/);
    expect(io.err.join("")).toContain("publish --batch FILE [--json]");
    expect(io.requests).toEqual([]);
  });

  test("names the element of a JSON array the SDK refuses", async () => {
    const io = fakeIo(unreachable, {}, "", { "b.json": '[{"topic": "a", "data": 1}, {"topic": "b"}]' });
    expect(await runCli([...URL_FLAGS, "publish", "--batch", "b.json"], io)).toBe(2);
    expect(io.err.join("")).toMatch(/^events-cli: --batch b\.json: inputs\[1\] \(element 1\): publish needs data/);
  });

  test("exits 2 for a file that cannot be read, is not JSON or holds no events, without a request", async () => {
    const cases: Array<[string, string]> = [
      ["missing.json", "events-cli: cannot read --batch missing.json: no such file\n"],
      ["bad.ndjson", "events-cli: --batch bad.ndjson, line 2 is not valid JSON: "],
      ["empty.json", "events-cli: --batch empty.json holds no events: "],
    ];
    for (const [path, message] of cases) {
      const io = fakeIo(unreachable, {}, "", { "bad.ndjson": '{"topic": "a", "data": 1}\n{nope\n', "empty.json": "[]\n" });
      expect(await runCli([...URL_FLAGS, "publish", "--batch", path], io)).toBe(2);
      expect(io.err.join("").slice(0, message.length)).toBe(message);
      expect(io.requests).toEqual([]);
    }
  });

  test("exits 1 with the server's message when it refuses the batch", async () => {
    const refusal = { error: { code: "VALIDATION_FAILED", message: "batch item 1: data must be an object" } };
    const io = fakeIo(() => Response.json(refusal, { status: 422 }), {}, '{"topic": "a", "data": 1}\n{"topic": "b", "data": 2}\n');
    expect(await runCli([...URL_FLAGS, "publish", "--batch", "-"], io)).toBe(1);
    expect(io.err.join("")).toBe("events-cli: events publish failed: HTTP 422 VALIDATION_FAILED: batch item 1: data must be an object\n");
    expect(io.out).toEqual([]);
  });
});
