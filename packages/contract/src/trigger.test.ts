import { Value } from "@sinclair/typebox/value";
import { describe, expect, test } from "vitest";
import { MAX_MESSAGE_LENGTH, TriggerRequest, TriggerResponse } from "./trigger.ts";

describe("TriggerRequest", () => {
  test("accepts a message of 1 to MAX_MESSAGE_LENGTH code units, newlines, quotes and HTML included", () => {
    expect(Value.Check(TriggerRequest, { message: "x" })).toBe(true);
    expect(Value.Check(TriggerRequest, { message: 'a\r\nb "c" <d>' })).toBe(true);
    expect(Value.Check(TriggerRequest, { message: "x".repeat(MAX_MESSAGE_LENGTH) })).toBe(true);
  });

  test("rejects an empty, an oversized or a non-string message", () => {
    expect(Value.Check(TriggerRequest, { message: "" })).toBe(false);
    expect(Value.Check(TriggerRequest, { message: "x".repeat(MAX_MESSAGE_LENGTH + 1) })).toBe(false);
    expect(Value.Check(TriggerRequest, { message: 42 })).toBe(false);
    expect(Value.Check(TriggerRequest, {})).toBe(false);
  });

  test("takes an optional topic beside the message", () => {
    expect(Value.Check(TriggerRequest, { message: "x", topic: "orders/42" })).toBe(true);
    expect(Value.Check(TriggerRequest, { message: "x", topic: 42 })).toBe(false);
  });

  test("rejects properties it does not declare", () => {
    expect(Value.Check(TriggerRequest, { message: "x", extra: true })).toBe(false);
  });
});

describe("TriggerResponse", () => {
  test("requires a status, an id and a non-negative integer client count", () => {
    expect(Value.Check(TriggerResponse, { status: "Event broadcast to 1 clients", id: "1-1", clients: 1 })).toBe(true);
    expect(Value.Check(TriggerResponse, { status: "s", id: "1-1", clients: -1 })).toBe(false);
    expect(Value.Check(TriggerResponse, { status: "s", id: "1-1", clients: 1.5 })).toBe(false);
    expect(Value.Check(TriggerResponse, { status: "s", clients: 1 })).toBe(false);
  });
});
