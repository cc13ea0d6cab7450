import { describe, expect, test } from "vitest";
import { compareRedisIds, parseStreamId } from "./stream-id.ts";

describe("parseStreamId", () => {
  test("parses a complete id into milliseconds and sequence", () => {
    expect(parseStreamId("1732500000000-7")).toEqual({ milliseconds: 1732500000000n, sequence: 7n });
    expect(parseStreamId("0-0")).toEqual({ milliseconds: 0n, sequence: 0n });
    expect(parseStreamId("18446744073709551615-18446744073709551615")).toBeDefined();
  });

  for (const id of ["", "1", "1-", "-1", "a-1", "1-a", "01-0", "1-00", "+1-0", " 1-0", "1-0 ", "1-2-3", "18446744073709551616-0", "$", "-", "+"]) {
    test(`rejects ${JSON.stringify(id)}`, () => {
      expect(parseStreamId(id)).toBeUndefined();
    });
  }
});

describe("compareRedisIds", () => {
  test("orders by milliseconds, then by sequence, numerically", () => {
    expect(compareRedisIds("9-0", "10-0")).toBeLessThan(0);
    expect(compareRedisIds("10-2", "10-10")).toBeLessThan(0);
    expect(compareRedisIds("10-10", "10-10")).toBe(0);
    expect(compareRedisIds("11-0", "10-99")).toBeGreaterThan(0);
    expect(["10-10", "9-0", "10-2"].sort(compareRedisIds)).toEqual(["9-0", "10-2", "10-10"]);
  });

  test("throws on something that is not a stream id", () => {
    expect(() => compareRedisIds("x", "1-0")).toThrow(TypeError);
  });
});
