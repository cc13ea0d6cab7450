import { describe, expect, test } from "vitest";
import { EventsClientError } from "./errors.ts";
import { DEFAULT_HEARTBEAT_TIMEOUT_MS, DEFAULT_MAX_EVENT_BYTES, DEFAULT_RECONNECT_OPTIONS } from "./connection-options.ts";
import { resolveEventsClientOptions } from "./options.ts";

describe("resolveEventsClientOptions", () => {
  test("fills every default", () => {
    const resolved = resolveEventsClientOptions("http://localhost:8080/");
    expect(resolved.baseUrl).toBe("http://localhost:8080");
    expect(resolved.reconnect).toEqual({ initialDelayMs: 1000, minDelayMs: 100, maxDelayMs: 30_000, factor: 2, jitter: true });
    expect(resolved.heartbeatTimeoutMs).toBe(DEFAULT_HEARTBEAT_TIMEOUT_MS);
    expect(resolved.maxEventBytes).toBe(DEFAULT_MAX_EVENT_BYTES);
    expect(resolved.headers).toEqual({});
    expect(Object.isFrozen(DEFAULT_RECONNECT_OPTIONS)).toBe(true);
  });

  test("keeps a path prefix of the base URL", () => {
    expect(resolveEventsClientOptions("https://example.com/api/").baseUrl).toBe("https://example.com/api");
  });

  test("merges partial reconnect options and turns a token into an Authorization header", () => {
    const resolved = resolveEventsClientOptions("http://h", { token: "t", headers: { "x-a": "1" }, reconnect: { factor: 3 } });
    expect(resolved.reconnect.factor).toBe(3);
    expect(resolved.reconnect.initialDelayMs).toBe(1000);
    expect(resolved.headers).toEqual({ "x-a": "1", authorization: "Bearer t" });
  });

  test("accepts false to disable the heartbeat", () => {
    expect(resolveEventsClientOptions("http://h", { heartbeatTimeoutMs: false }).heartbeatTimeoutMs).toBe(false);
  });

  test("accepts false to lift the event size limit", () => {
    expect(resolveEventsClientOptions("http://h", { maxEventBytes: false }).maxEventBytes).toBe(false);
  });

  const invalid: [string, () => unknown, RegExp][] = [
    ["a relative URL", () => resolveEventsClientOptions("/events"), /baseUrl/],
    ["a ws: URL", () => resolveEventsClientOptions("ws://h"), /baseUrl must use http/],
    ["a URL with a query", () => resolveEventsClientOptions("http://h/?a=1"), /query/],
    ["a negative initial delay", () => resolveEventsClientOptions("http://h", { reconnect: { initialDelayMs: -1 } }), /initialDelayMs/],
    ["a max delay below the initial one", () => resolveEventsClientOptions("http://h", { reconnect: { maxDelayMs: 10 } }), /maxDelayMs/],
    ["a zero backoff floor", () => resolveEventsClientOptions("http://h", { reconnect: { minDelayMs: 0 } }), /minDelayMs/],
    ["a max delay past 24 h", () => resolveEventsClientOptions("http://h", { reconnect: { maxDelayMs: 86_400_001 } }), /maxDelayMs/],
    ["a heartbeat past setTimeout's limit", () => resolveEventsClientOptions("http://h", { heartbeatTimeoutMs: 2 ** 31 }), /heartbeatTimeoutMs/],
    ["a factor below 1", () => resolveEventsClientOptions("http://h", { reconnect: { factor: 0.5 } }), /factor/],
    ["a NaN heartbeat", () => resolveEventsClientOptions("http://h", { heartbeatTimeoutMs: Number.NaN }), /heartbeatTimeoutMs/],
    ["a zero event size limit", () => resolveEventsClientOptions("http://h", { maxEventBytes: 0 }), /maxEventBytes/],
    ["a token with LF", () => resolveEventsClientOptions("http://h", { token: "a\nb" }), /token/],
    ["an empty token", () => resolveEventsClientOptions("http://h", { token: "" }), /token/],
  ];
  for (const [name, run, message] of invalid) {
    test(`rejects ${name} with INVALID_OPTION`, () => {
      let caught: unknown;
      try {
        run();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(EventsClientError);
      expect((caught as EventsClientError).code).toBe("INVALID_OPTION");
      expect((caught as Error).message).toMatch(message);
    });
  }
});
