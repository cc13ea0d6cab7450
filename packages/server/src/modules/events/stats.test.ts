import { describe, expect, test } from "vitest";
import { EventsStats } from "./stats.ts";

describe("EventsStats", () => {
  test("starts at zero with empty tallies", () => {
    const stats = new EventsStats();
    expect({ clients: stats.clients, published: stats.published }).toEqual({ clients: 0, published: 0 });
    expect([...stats.triggersRejected, ...stats.streamsClosed]).toEqual([]);
    expect(stats.streams).toEqual({ delivered: 0, replayed: 0, gaps: 0, slowConsumerDisconnects: 0 });
  });

  test("counts open streams up and down, and closed ones by reason", () => {
    const stats = new EventsStats();
    stats.streamOpened();
    stats.streamOpened();
    stats.streamOpened();
    stats.streamClosed("cancelled");
    stats.streamClosed("slow-consumer");
    stats.streamClosed("cancelled");
    expect(stats.clients).toBe(0);
    expect(Object.fromEntries(stats.streamsClosed)).toEqual({ cancelled: 2, "slow-consumer": 1 });
  });

  test("counts published triggers and refused ones by code", () => {
    const stats = new EventsStats();
    stats.triggerPublished();
    stats.triggerRejected("UNAUTHORIZED");
    stats.triggerRejected("INVALID_JSON");
    stats.triggerRejected("UNAUTHORIZED");
    expect(stats.published).toBe(1);
    expect(Object.fromEntries(stats.triggersRejected)).toEqual({ UNAUTHORIZED: 2, INVALID_JSON: 1 });
  });
});
