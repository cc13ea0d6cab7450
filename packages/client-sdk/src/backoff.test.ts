import { describe, expect, test } from "vitest";
import { computeReconnectDelay, MAX_RECONNECT_DELAY_MS, parseRetryAfter, type ReconnectDelayInput } from "./backoff.ts";
import { DEFAULT_RECONNECT_OPTIONS } from "./connection-options.ts";

const policy = DEFAULT_RECONNECT_OPTIONS;
const half = (): number => 0.5;
const input = (fields: Partial<ReconnectDelayInput>): ReconnectDelayInput => ({
  failures: 0,
  afterImmediateReconnect: false,
  serverRetryMs: undefined,
  retryAfterMs: undefined,
  ...fields,
});

describe("computeReconnectDelay", () => {
  test("waits the reconnection time, without jitter, after a healthy connection drops", () => {
    expect(computeReconnectDelay(input({}), policy, half)).toBe(1000);
    expect(computeReconnectDelay(input({ serverRetryMs: 3000 }), policy, half)).toBe(3000);
  });

  test("grows the jitter ceiling by the factor with each failure", () => {
    const delays = [1, 2, 3, 4].map((failures) => computeReconnectDelay(input({ failures }), policy, () => 0.999_999));
    expect(delays).toEqual([1999, 3999, 7999, 15_999]);
  });

  test("draws a full-jitter delay between the floor and the ceiling", () => {
    expect(computeReconnectDelay(input({ failures: 2 }), policy, () => 0)).toBe(400);
    expect(computeReconnectDelay(input({ failures: 2 }), policy, half)).toBe(2000);
  });

  test("caps the ceiling at maxDelayMs, even for a huge failure count", () => {
    expect(computeReconnectDelay(input({ failures: 5000 }), { ...policy, jitter: false }, half)).toBe(30_000);
    expect(computeReconnectDelay(input({ serverRetryMs: 90_000 }), policy, half)).toBe(30_000);
  });

  test("backs off from a floor of minDelayMs × factor^failures even after retry: 0", () => {
    const delays = [1, 2, 3, 4, 12].map((failures) => computeReconnectDelay(input({ failures, serverRetryMs: 0 }), policy, () => 0));
    expect(delays).toEqual([200, 400, 800, 1600, 30_000]);
  });

  test("reconnects at once after retry: 0, but not twice in a row", () => {
    expect(computeReconnectDelay(input({ serverRetryMs: 0 }), policy, half)).toBe(0);
    expect(computeReconnectDelay(input({ serverRetryMs: 0, afterImmediateReconnect: true }), policy, half)).toBe(100);
    expect(computeReconnectDelay(input({ serverRetryMs: 5000, afterImmediateReconnect: true }), policy, half)).toBe(5000);
  });

  test("stays a finite number after any count of failures", () => {
    for (const failures of [1023, 1024, 1025, 10_000, Number.MAX_SAFE_INTEGER]) {
      for (const serverRetryMs of [0, 1000, Number.MAX_SAFE_INTEGER]) {
        for (const factor of [1, 2, 10]) {
          const delay = computeReconnectDelay(input({ failures, serverRetryMs }), { ...policy, factor }, Math.random);
          expect(Number.isFinite(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(100);
          expect(delay).toBeLessThanOrEqual(30_000);
        }
      }
    }
  });

  test("never waits less than Retry-After, which may exceed maxDelayMs", () => {
    expect(computeReconnectDelay(input({ failures: 1, retryAfterMs: 120_000 }), policy, half)).toBe(120_000);
    expect(computeReconnectDelay(input({ failures: 3, retryAfterMs: 10 }), policy, half)).toBe(4000);
  });

  test("never waits more than 24 hours, whatever Retry-After asks", () => {
    expect(MAX_RECONNECT_DELAY_MS).toBe(86_400_000);
    for (const retryAfterMs of [3_000_000_000, Number.MAX_VALUE, Number.POSITIVE_INFINITY]) {
      expect(computeReconnectDelay(input({ failures: 1, retryAfterMs }), policy, half)).toBe(86_400_000);
    }
    expect(computeReconnectDelay(input({ failures: 1, retryAfterMs: 86_399_000 }), policy, half)).toBe(86_399_000);
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
