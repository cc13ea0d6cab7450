import { createEventStreamCounters, resolveSubscribeTopics } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { LocalSubscribers } from "./local-subscribers.ts";
import { EventsStats } from "./stats.ts";
import { createStreamEntries } from "./stream-entry.ts";

describe("createStreamEntries", () => {
  test("gives each stream only its own options, the shared ones through one prototype", () => {
    const counters = createEventStreamCounters();
    const entries = createStreamEntries({ retryMs: 2000, counters }, new EventsStats(), new LocalSubscribers());
    const a = entries({ lastEventId: "1-5", topics: ["orders/*"], defaultTopic: "events" }, resolveSubscribeTopics(["orders/*"]));
    const b = entries({}, resolveSubscribeTopics(undefined));
    expect(a.retryMs).toBe(2000);
    expect(b.counters).toBe(counters);
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
    expect(Object.keys(a).sort()).toEqual(["defaultTopic", "lastEventId", "logClose", "open", "subscription", "topics"]);
    expect(Object.keys(b).sort()).toEqual(["logClose", "open", "subscription"]);
    expect("lastEventId" in b).toBe(false);
    expect(a.onClose).toBe(b.onClose);
  });

  test("releases a stream once: leaves the local subscribers, counts the close, and tells its log line", () => {
    const stats = new EventsStats();
    const local = new LocalSubscribers();
    const entries = createStreamEntries({}, stats, local);
    const subscription = resolveSubscribeTopics(["orders/1"]);
    const entry = entries({ endsAt: 5_000, endEvent: { event: "auth-expired", data: "{}" } }, subscription);
    expect(entry.endsAt).toBe(5_000);
    stats.streamOpened();
    local.add(entry, subscription);
    expect(local.count(["orders/1"])).toBe(1);
    const logged: string[] = [];
    entry.logClose = (reason, { bytes }) => logged.push(`${reason} ${bytes}`);
    entry.onClose("cancelled", { bytes: 42 });
    entry.onClose("error");
    expect(logged).toEqual(["cancelled 42"]);
    expect(local.count(["orders/1"])).toBe(0);
    expect(stats.streamsClosed.get("cancelled")).toBe(1);
    expect(stats.streamsClosed.get("error")).toBeUndefined();
  });
});
