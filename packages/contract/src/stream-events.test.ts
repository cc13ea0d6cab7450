import { Value } from "@sinclair/typebox/value";
import { describe, expect, test } from "vitest";
import { AuthExpiredEventData, ConnectedEventData, GapEventData, MessageEventData } from "./stream-events.ts";

describe("stream event payloads", () => {
  test("a connected event counts clients and replayed events as non-negative integers", () => {
    expect(Value.Check(ConnectedEventData, { message: "Connected to SSE stream", clients: 1, replayed: 0 })).toBe(true);
    expect(Value.Check(ConnectedEventData, { message: "m", clients: 1 })).toBe(false);
    expect(Value.Check(ConnectedEventData, { message: "m", clients: -1, replayed: 0 })).toBe(false);
  });

  test("a message event carries its text", () => {
    expect(Value.Check(MessageEventData, { message: "hi" })).toBe(true);
    expect(Value.Check(MessageEventData, { message: null })).toBe(false);
  });

  test("a gap event names its reason from a closed list and allows a null oldest id", () => {
    expect(Value.Check(GapEventData, { requestedId: "1-5", oldestId: null, reason: "too-old" })).toBe(true);
    expect(Value.Check(GapEventData, { requestedId: "x", oldestId: "2-1", reason: "other-epoch" })).toBe(true);
    expect(Value.Check(GapEventData, { requestedId: "x", oldestId: "2-1", reason: "lost" })).toBe(false);
  });

  test("an auth-expired event says why the stream ends and when the token expired", () => {
    expect(Value.Check(AuthExpiredEventData, { message: "token expired; reconnect with a fresh token", expiredAt: "2026-12-06T04:00:00.000Z" })).toBe(true);
    expect(Value.Check(AuthExpiredEventData, { message: "m" })).toBe(false);
  });

  test("a gap event may name the subscribed topics it affects", () => {
    expect(Value.Check(GapEventData, { requestedId: "x", oldestId: null, reason: "too-old", topics: ["a", "b/*"] })).toBe(true);
    expect(Value.Check(GapEventData, { requestedId: "x", oldestId: null, reason: "too-old", topics: "a" })).toBe(false);
  });
});
