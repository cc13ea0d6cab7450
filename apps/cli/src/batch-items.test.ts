import { describe, expect, test } from "vitest";
import { parseBatchItems } from "./batch-items.ts";
import { UsageError } from "./usage-error.ts";

function usageError(text: string): UsageError {
  try {
    parseBatchItems(text, "--batch b.json");
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`expected a usage error for ${JSON.stringify(text)}`);
}

describe("parseBatchItems", () => {
  test("reads a JSON array, naming each item by its element", () => {
    const text = '[\n  {"topic": "a", "data": 1},\n  {"topics": ["a", "b"], "event": "x", "data": null}\n]\n';
    expect(parseBatchItems(text, "--batch b.json")).toEqual([
      { value: { topic: "a", data: 1 }, origin: "element 0" },
      { value: { topics: ["a", "b"], event: "x", data: null }, origin: "element 1" },
    ]);
  });

  test("reads NDJSON, skipping blank lines and naming each item by its line from 1", () => {
    const text = '{"topic": "a", "data": 1}\n\n  \r\n{"topic": "b", "data": 2}\r\n';
    expect(parseBatchItems(text, "--batch b.ndjson")).toEqual([
      { value: { topic: "a", data: 1 }, origin: "line 1" },
      { value: { topic: "b", data: 2 }, origin: "line 4" },
    ]);
  });

  test("leaves the shape of each item to the SDK", () => {
    expect(parseBatchItems("1\n\"x\"\n", "stdin (--batch -)").map((item) => item.value)).toEqual([1, "x"]);
  });

  test("refuses an empty file, blank lines only and an empty array", () => {
    for (const text of ["", "\n \n", "[]", " [ ]\n"]) {
      expect(usageError(text)).toMatchObject({ topic: "events publish", message: expect.stringMatching(/^--batch b\.json holds no events: a batch is a JSON array/) });
    }
  });

  test("names the line that is not JSON", () => {
    const error = usageError('{"topic": "a", "data": 1}\n\n{"topic": "b",\n');
    expect(error.message).toMatch(/^--batch b\.json, line 3 is not valid JSON: .+ \(a batch is a JSON array of publish bodies, or one JSON object per line\)$/);
  });

  test("reads a text starting with [ as one array, and refuses it whole when it is not JSON", () => {
    expect(usageError('[{"topic": "a", "data": 1},\n').message).toMatch(/^--batch b\.json is not valid JSON: /);
  });

  test("refuses a pretty-printed object, naming its first line", () => {
    expect(usageError('{\n  "topic": "a",\n  "data": 1\n}\n').message).toMatch(/^--batch b\.json, line 1 is not valid JSON/);
  });
});
