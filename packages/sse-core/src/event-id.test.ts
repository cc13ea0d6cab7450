import { describe, expect, test } from "vitest";
import { SseError } from "./errors.ts";
import { compareEventIds, formatEventId, parseEventId } from "./event-id.ts";

describe("formatEventId", () => {
  test("writes the epoch in base36 and the sequence in base10", () => {
    expect(formatEventId(1_764_000_000_000, 42)).toBe(`${(1_764_000_000_000).toString(36)}-42`);
    expect(formatEventId(0, 0)).toBe("0-0");
  });

  test("rejects negative, fractional and unsafe parts", () => {
    for (const [epoch, sequence] of [[-1, 0], [1, 1.5], [2 ** 60, 1]] as const) {
      expect(() => formatEventId(epoch, sequence)).toThrow(SseError);
      expect(() => formatEventId(epoch, sequence)).toThrow("event id parts must be non-negative safe integers");
    }
    let code: unknown;
    try {
      formatEventId(-1, 0);
    } catch (error) {
      code = (error as SseError).code;
    }
    expect(code).toBe("INVALID_ID");
  });
});

describe("parseEventId", () => {
  test("reads back what formatEventId writes", () => {
    for (const [epoch, sequence] of [[0, 0], [1, 1], [1_764_000_000_000, 123_456], [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]] as const) {
      expect(parseEventId(formatEventId(epoch, sequence))).toEqual({ epoch, sequence });
    }
  });

  test("rejects ids formatEventId would not write", () => {
    for (const id of ["", "-", "abc", "1-", "-1", "01-1", "1-01", "A-1", "1-1 ", " 1-1", "1--1", "1-+1", "1-1-1", "1-1e3", "0-0\n", `1-${"9".repeat(20)}`, "1-1.5"]) {
      expect({ id, parsed: parseEventId(id) }).toEqual({ id, parsed: undefined });
    }
  });
});

describe("compareEventIds", () => {
  test("orders by sequence within an epoch, numerically rather than as strings", () => {
    expect(compareEventIds(formatEventId(5, 9), formatEventId(5, 10))).toBeLessThan(0);
    expect(compareEventIds(formatEventId(5, 10), formatEventId(5, 9))).toBeGreaterThan(0);
    expect(compareEventIds(formatEventId(5, 10), formatEventId(5, 10))).toBe(0);
  });

  test("orders a later epoch after an earlier one whatever the sequences", () => {
    expect(compareEventIds(formatEventId(1_000, 999_999), formatEventId(1_001, 1))).toBeLessThan(0);
  });

  test("sorts a malformed id before every well-formed one", () => {
    expect(compareEventIds("nope", formatEventId(0, 0))).toBeLessThan(0);
    expect(compareEventIds(formatEventId(0, 0), "nope")).toBeGreaterThan(0);
    expect(compareEventIds("a", "b")).toBeLessThan(0);
    expect(compareEventIds("b", "b")).toBe(0);
  });

  test("sorts a shuffled list of ids into publication order", () => {
    const ids = [formatEventId(7, 1), formatEventId(7, 2), formatEventId(7, 10), formatEventId(7, 100), formatEventId(8, 0), formatEventId(8, 3)];
    const shuffled = [ids[3], ids[0], ids[5], ids[2], ids[4], ids[1]] as string[];
    expect(shuffled.sort(compareEventIds)).toEqual(ids);
  });
});
