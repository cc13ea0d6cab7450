import { describe, expect, test } from "vitest";
import { invalidOption, positiveInteger, resolveHistoryTtl } from "./options.ts";

describe("positiveInteger", () => {
  test("returns the value, or the fallback when it is undefined", () => {
    expect(positiveInteger("maxEvents", 5, 10)).toBe(5);
    expect(positiveInteger("maxEvents", undefined, 10)).toBe(10);
  });

  test("rejects zero and fractions with INVALID_OPTION naming the option", () => {
    expect(() => positiveInteger("MemoryBroker historySize", 0, 10)).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION", message: expect.stringContaining("MemoryBroker historySize must be a positive integer (got 0)") }),
    );
    expect(() => positiveInteger("maxEvents", 1.5, 10)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
  });
});

describe("resolveHistoryTtl", () => {
  test("turns undefined and false into false, and keeps a positive integer", () => {
    expect(resolveHistoryTtl("RedisBroker", undefined)).toBe(false);
    expect(resolveHistoryTtl("RedisBroker", false)).toBe(false);
    expect(resolveHistoryTtl("RedisBroker", 60_000)).toBe(60_000);
  });

  test("rejects zero, negatives and fractions, naming the owner, the value and the fix", () => {
    expect(() => resolveHistoryTtl("PostgresBroker", 0)).toThrow(
      expect.objectContaining({
        code: "INVALID_OPTION",
        message: "PostgresBroker historyTtlMs must be a positive integer (ms) or false (got 0); e.g. 3600000 for one hour, or false for no age bound",
      }),
    );
    expect(() => resolveHistoryTtl("RedisBroker", -1)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    expect(() => resolveHistoryTtl("RedisBroker", 1.5)).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
  });
});

describe("invalidOption", () => {
  test("throws INVALID_OPTION with subject, rule, value and fix", () => {
    expect(() => invalidOption("RedisBroker streamKey", "must be a non-empty string", "", "e.g. myapp:events")).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION", message: 'RedisBroker streamKey must be a non-empty string (got ""); e.g. myapp:events' }),
    );
  });
});
