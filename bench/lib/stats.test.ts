import { describe, expect, test } from "vitest";
import { fmt, median, medianInterval, percentile, ratio } from "./stats.ts";

describe("median", () => {
  test("takes the middle value of an odd count and the mean of the middle two of an even count", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  test("ignores values that are not finite and answers NaN for none", () => {
    expect(median([Number.NaN, 5, Number.POSITIVE_INFINITY])).toBe(5);
    expect(median([])).toBeNaN();
  });
});

describe("percentile", () => {
  test("answers the nearest rank of sorted values", () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 0.5)).toBe(5);
    expect(percentile(sorted, 0.9)).toBe(9);
    expect(percentile(sorted, 1)).toBe(10);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe("fmt and ratio", () => {
  test("write thousands separators, fixed decimals and a dash for NaN", () => {
    expect(fmt(114942.6)).toBe("114,943");
    expect(fmt(6.781, 2)).toBe("6.78");
    expect(fmt(Number.NaN)).toBe("–");
    expect(ratio(0.8333)).toBe("0.83×");
    expect(ratio(Number.NaN)).toBe("–");
  });
});

describe("medianInterval", () => {
  test("takes the 4th smallest and 4th largest of 16 values (97.9% coverage, the tightest at 95%)", () => {
    const values = Array.from({ length: 16 }, (_, i) => 16 - i);
    const interval = medianInterval(values);
    expect(interval?.low).toBe(4);
    expect(interval?.high).toBe(13);
    // 1 - 2 * P(Binomial(16, 1/2) <= 3) = 1 - 2 * 697 / 65536
    expect(interval?.coverage).toBeCloseTo(1 - (2 * 697) / 65536, 10);
  });

  test("spans every value where only the whole range reaches the confidence, and gives none below that", () => {
    expect(medianInterval([3, 1, 2, 6, 5, 4])).toEqual({ low: 1, high: 6, coverage: 1 - 2 / 64 });
    expect(medianInterval([1, 2, 3, 4, 5])).toBeUndefined();
    expect(medianInterval([1, 2, 3, 4, 5], 0.9)).toEqual({ low: 1, high: 5, coverage: 1 - 2 / 32 });
  });

  test("leaves out values that are not finite", () => {
    expect(medianInterval([1, 2, 3, 4, 5, Number.NaN])).toBeUndefined();
  });
});
