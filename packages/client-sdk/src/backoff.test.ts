import { describe, expect, test } from "vitest";
import { computeReconnectDelay, parseRetryAfter } from "./backoff.ts";
import { DEFAULT_RECONNECT_OPTIONS } from "./options.ts";

const policy = DEFAULT_RECONNECT_OPTIONS;
const half = (): number => 0.5;

describe("computeReconnectDelay", () => {
  test("waits the reconnection time, without jitter, after a healthy connection drops", () => {
    expect(computeReconnectDelay({ failures: 0, serverRetryMs: undefined, retryAfterMs: undefined }, policy, half)).toBe(1000);
    expect(computeReconnectDelay({ failures: 0, serverRetryMs: 3000, retryAfterMs: undefined }, policy, half)).toBe(3000);
  });

  test("grows the jitter ceiling by the factor with each failure", () => {
    const delays = [1, 2, 3, 4].map((failures) =>
      computeReconnectDelay({ failures, serverRetryMs: undefined, retryAfterMs: undefined }, policy, () => 0.999_999),
    );
    expect(delays).toEqual([1999, 3999, 7999, 15_999]);
  });

  test("draws a full-jitter delay between 0 and the ceiling", () => {
    const input = { failures: 2, serverRetryMs: undefined, retryAfterMs: undefined };
    expect(computeReconnectDelay(input, policy, () => 0)).toBe(0);
    expect(computeReconnectDelay(input, policy, half)).toBe(2000);
  });

  test("caps the ceiling at maxDelayMs, even for a huge failure count", () => {
    const input = { failures: 5000, serverRetryMs: undefined, retryAfterMs: undefined };
    expect(computeReconnectDelay(input, { ...policy, jitter: false }, half)).toBe(30_000);
    expect(computeReconnectDelay({ ...input, failures: 0, serverRetryMs: 90_000 }, policy, half)).toBe(30_000);
  });

  test("never waits less than Retry-After, which may exceed maxDelayMs", () => {
    expect(computeReconnectDelay({ failures: 1, serverRetryMs: undefined, retryAfterMs: 120_000 }, policy, half)).toBe(120_000);
    expect(computeReconnectDelay({ failures: 3, serverRetryMs: undefined, retryAfterMs: 10 }, policy, half)).toBe(4000);
  });
});

describe("parseRetryAfter", () => {
  test("reads delay-seconds", () => {
    expect(parseRetryAfter("120", 0)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", 0)).toBe(0);
  });

  test("reads an HTTP date relative to now, never negative", () => {
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now)).toBe(0);
  });

  test("ignores a missing or unreadable header", () => {
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter("-5", 0)).toBeUndefined();
  });
});
