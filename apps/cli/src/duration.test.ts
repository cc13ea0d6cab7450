import { describe, expect, test } from "vitest";
import { formatDuration, parseDuration } from "./duration.ts";

describe("parseDuration", () => {
  test("reads Go-style durations into milliseconds", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("5s")).toBe(5_000);
    expect(parseDuration("1.5s")).toBe(1_500);
    expect(parseDuration("2m")).toBe(120_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("1m30s")).toBe(90_000);
  });

  test("reads a bare 0 as no limit", () => {
    expect(parseDuration("0")).toBe(0);
  });

  test("rejects bare numbers, unknown units, signs and empty text", () => {
    for (const text of ["5", "", "5x", "-1s", "s", "1s2", "5 s", "1d"]) expect(parseDuration(text)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  test("writes milliseconds, seconds and minutes the way people read them", () => {
    expect(formatDuration(800)).toBe("800ms");
    expect(formatDuration(1_234)).toBe("1.2s");
    expect(formatDuration(5_000)).toBe("5s");
    expect(formatDuration(150_000)).toBe("2.5m");
  });
});
