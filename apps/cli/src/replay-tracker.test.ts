import { describe, expect, test } from "vitest";
import { ReplayTracker } from "./replay-tracker.ts";

describe("ReplayTracker", () => {
  test("marks as many events after connected as its replayed count, skipping the gap notice", () => {
    const tracker = new ReplayTracker();
    const types = ["connected", "gap", "message", "message", "message"];
    const marks = types.map((type) => tracker.next({ type, data: type === "connected" ? { replayed: 2 } : {} }));
    expect(marks).toEqual([false, false, true, true, false]);
  });

  test("starts over at each connected event, and marks nothing without a count", () => {
    const tracker = new ReplayTracker();
    expect(tracker.next({ type: "connected", data: { replayed: 1 } })).toBe(false);
    expect(tracker.next({ type: "connected", data: { replayed: 0 } })).toBe(false);
    expect(tracker.next({ type: "message", data: {} })).toBe(false);
    expect(tracker.next({ type: "connected", data: { message: "Connected" } })).toBe(false);
    expect(tracker.next({ type: "message", data: {} })).toBe(false);
    expect(tracker.next({ type: "connected", data: { replayed: "3" } })).toBe(false);
    expect(tracker.next({ type: "message", data: {} })).toBe(false);
  });
});
