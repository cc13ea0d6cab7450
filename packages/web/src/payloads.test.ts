import { describe, expect, test } from "vitest";
import { parseStreamEvent } from "./payloads.ts";

describe("parseStreamEvent", () => {
  test("reads a message event's text as is, HTML and newlines included", () => {
    const message = '<img src=x onerror=alert(1)>\n"quoted"';
    expect(parseStreamEvent("message", "7", JSON.stringify({ message }))).toEqual({
      type: "message",
      id: "7",
      data: { message },
    });
  });

  test("reads the connected event's client count and replay count", () => {
    expect(parseStreamEvent("connected", "1-0", '{"message":"Connected to SSE stream","clients":3,"replayed":2}')).toEqual({
      type: "connected",
      id: "1-0",
      data: { message: "Connected to SSE stream", clients: 3, replayed: 2 },
    });
  });

  test("reads a connected event without a replay count as replaying nothing", () => {
    expect(parseStreamEvent("connected", "1-0", '{"message":"Connected to SSE stream","clients":3}')).toEqual({
      type: "connected",
      id: "1-0",
      data: { message: "Connected to SSE stream", clients: 3, replayed: 0 },
    });
  });

  test("reads a gap notice with or without an oldest id", () => {
    const data = { requestedId: "old", oldestId: null, reason: "other-epoch" };
    expect(parseStreamEvent("gap", "", JSON.stringify(data))).toEqual({ type: "gap", id: "", data });
    const withOldest = { requestedId: "1-1", oldestId: "1-5", reason: "too-old" };
    expect(parseStreamEvent("gap", "1-0", JSON.stringify(withOldest))).toEqual({ type: "gap", id: "1-0", data: withOldest });
  });

  test("flags data that is not the expected JSON as invalid and keeps the raw text", () => {
    expect(parseStreamEvent("message", "1", "not json")).toEqual({ type: "invalid", id: "1", eventType: "message", raw: "not json" });
    expect(parseStreamEvent("message", "1", '{"message":42}').type).toBe("invalid");
    expect(parseStreamEvent("message", "1", '["message"]').type).toBe("invalid");
    expect(parseStreamEvent("connected", "1", '{"message":"hi","clients":1.5}').type).toBe("invalid");
    expect(parseStreamEvent("gap", "1", '{"requestedId":"a","oldestId":null,"reason":"bored"}').type).toBe("invalid");
  });

  test("reads an auth-expired event's message and expiry, and flags one without them", () => {
    const data = { message: "token expired; reconnect with a fresh token", expiredAt: "2026-12-06T04:00:00.000Z" };
    expect(parseStreamEvent("auth-expired", "", JSON.stringify(data))).toEqual({ type: "auth-expired", id: "", data });
    expect(parseStreamEvent("auth-expired", "", '{"message":"m"}')).toEqual({ type: "invalid", id: "", eventType: "auth-expired", raw: '{"message":"m"}' });
  });
});
