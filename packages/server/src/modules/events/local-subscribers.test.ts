import { resolveSubscribeTopics } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { LocalSubscribers } from "./local-subscribers.ts";

const subscription = (...topics: string[]) => resolveSubscribeTopics(topics);

describe("LocalSubscribers", () => {
  test("counts each stream once per publish, single-topic streams, patterns and several topics alike", () => {
    const local = new LocalSubscribers();
    const single = [{}, {}, {}];
    for (const stream of single) local.add(stream, subscription("orders/1"));
    const other = {};
    local.add(other, subscription("orders/2"));
    const pattern = {};
    local.add(pattern, subscription("orders/*"));
    const both = {};
    local.add(both, subscription("orders/1", "orders/2"));
    const all = {};
    local.add(all, subscription("*"));
    expect(local.size).toBe(7);
    expect(local.count(["orders/1"])).toBe(6);
    expect(local.count(["orders/2"])).toBe(4);
    expect(local.count(["orders/1", "orders/2"])).toBe(7);
    expect(local.count(["users/7"])).toBe(1);
    expect(local.count(["orders"])).toBe(1);
  });

  test("forgets a stream removed with its subscription, and ignores one never added", () => {
    const local = new LocalSubscribers();
    const a = {};
    const b = {};
    local.add(a, subscription("events"));
    local.add(b, subscription("orders/*", "events"));
    local.remove(a, subscription("events"));
    local.remove({}, subscription("users/1"));
    expect(local.count(["events"])).toBe(1);
    local.remove(b, subscription("orders/*", "events"));
    expect(local.count(["events"])).toBe(0);
    expect(local.size).toBe(0);
  });
});
