import { Value } from "@sinclair/typebox/value";
import { describe, expect, test } from "vitest";
import { PublishBatchRequest, PublishBatchResponse, PublishRequest, PublishResponse } from "./publish.ts";

describe("PublishRequest", () => {
  test("accepts a topic or a topic list, an optional event name and any JSON value as data", () => {
    expect(Value.Check(PublishRequest, { topic: "orders/42", data: { total: 3 } })).toBe(true);
    expect(Value.Check(PublishRequest, { topics: ["a", "b"], event: "order.updated", data: [1, "x", null] })).toBe(true);
    expect(Value.Check(PublishRequest, { topic: "a", data: null })).toBe(true);
    expect(Value.Check(PublishRequest, { topic: "a", data: "text" })).toBe(true);
  });

  test("requires data, even null", () => {
    expect(Value.Check(PublishRequest, { topic: "a" })).toBe(false);
  });

  test("rejects a non-string topic, a non-array topic list and properties it does not declare", () => {
    expect(Value.Check(PublishRequest, { topic: 42, data: 1 })).toBe(false);
    expect(Value.Check(PublishRequest, { topics: "a", data: 1 })).toBe(false);
    expect(Value.Check(PublishRequest, { topics: [1], data: 1 })).toBe(false);
    expect(Value.Check(PublishRequest, { topic: "a", data: 1, message: "x" })).toBe(false);
  });
});

describe("PublishResponse", () => {
  test("requires an id, the topics and a non-negative integer client count", () => {
    expect(Value.Check(PublishResponse, { id: "1-1", topics: ["a"], clients: 0 })).toBe(true);
    expect(Value.Check(PublishResponse, { id: "1-1", topics: ["a"], clients: -1 })).toBe(false);
    expect(Value.Check(PublishResponse, { id: "1-1", clients: 1 })).toBe(false);
  });
});

describe("PublishBatchRequest", () => {
  test("accepts one or more single publish bodies", () => {
    expect(Value.Check(PublishBatchRequest, [{ topic: "a", data: 1 }])).toBe(true);
    expect(Value.Check(PublishBatchRequest, [{ topic: "a", data: 1 }, { topics: ["b"], event: "x", data: null }])).toBe(true);
  });

  test("rejects an empty array and any item that is not a single publish body", () => {
    expect(Value.Check(PublishBatchRequest, [])).toBe(false);
    expect(Value.Check(PublishBatchRequest, [{ topic: "a", data: 1 }, { topic: "b" }])).toBe(false);
    expect(Value.Check(PublishBatchRequest, [[{ topic: "a", data: 1 }]])).toBe(false);
  });
});

describe("PublishBatchResponse", () => {
  test("is one single answer per event", () => {
    expect(Value.Check(PublishBatchResponse, [{ id: "1-1", topics: ["a"], clients: 0 }, { id: "1-2", topics: ["b"], clients: 3 }])).toBe(true);
    expect(Value.Check(PublishBatchResponse, [{ id: "1-1", topics: ["a"] }])).toBe(false);
  });
});
