import { describe, expect, test } from "vitest";
import { SseError } from "./errors.ts";
import { DEFAULT_EVENT_HISTORY_OPTIONS, EventHistory } from "./history.ts";
import type { StoredEvent } from "./types.ts";

function event(sequence: number, frameBytes = 10): StoredEvent {
  const frame = new Uint8Array(frameBytes);
  return { id: `e-${sequence}`, event: "message", data: "", topics: ["events"], frame, frameFor: () => frame };
}

function ids(history: EventHistory): string[] {
  return history.slice(0).map((stored) => stored.id);
}

describe("EventHistory", () => {
  test("holds 1000 events and 8 MiB by default", () => {
    const history = new EventHistory();
    expect(history.maxEvents).toBe(1000);
    expect(history.maxBytes).toBe(8 * 1024 * 1024);
    expect(DEFAULT_EVENT_HISTORY_OPTIONS).toEqual({ maxEvents: 1000, maxBytes: 8 * 1024 * 1024 });
  });

  test("keeps events in order, oldest first", () => {
    const history = new EventHistory({ maxEvents: 5 });
    for (let sequence = 1; sequence <= 3; sequence++) history.push(event(sequence));
    expect(ids(history)).toEqual(["e-1", "e-2", "e-3"]);
    expect(history.oldest?.id).toBe("e-1");
    expect(history.at(1)?.id).toBe("e-2");
    expect(history.at(3)).toBeUndefined();
    expect(history.at(-1)).toBeUndefined();
  });

  test("drops the oldest events beyond maxEvents, wrapping around many times", () => {
    const history = new EventHistory({ maxEvents: 3 });
    for (let sequence = 1; sequence <= 100; sequence++) history.push(event(sequence));
    expect(history.size).toBe(3);
    expect(ids(history)).toEqual(["e-98", "e-99", "e-100"]);
    expect(history.slice(1).map((stored) => stored.id)).toEqual(["e-99", "e-100"]);
    expect(history.bytes).toBe(30);
  });

  test("drops the oldest events beyond maxBytes", () => {
    const history = new EventHistory({ maxEvents: 100, maxBytes: 25 });
    history.push(event(1, 10));
    history.push(event(2, 10));
    expect(ids(history)).toEqual(["e-1", "e-2"]);
    history.push(event(3, 10));
    expect(ids(history)).toEqual(["e-2", "e-3"]);
    expect(history.bytes).toBe(20);
    history.push(event(4, 24));
    expect(ids(history)).toEqual(["e-4"]);
    expect(history.bytes).toBe(24);
  });

  test("ends up empty when one event is larger than maxBytes", () => {
    const history = new EventHistory({ maxBytes: 5 });
    history.push(event(1, 4));
    history.push(event(2, 6));
    expect(history.size).toBe(0);
    expect(history.bytes).toBe(0);
    expect(history.oldest).toBeUndefined();
  });

  test("clear empties it", () => {
    const history = new EventHistory({ maxEvents: 2 });
    history.push(event(1));
    history.push(event(2));
    history.push(event(3));
    history.clear();
    expect(history.size).toBe(0);
    history.push(event(4));
    expect(ids(history)).toEqual(["e-4"]);
  });

  test("rejects bounds that are zero, negative or not integers with INVALID_OPTION", () => {
    for (const options of [{ maxEvents: 0 }, { maxEvents: -1 }, { maxEvents: 1.5 }, { maxBytes: 0 }, { maxBytes: Number.NaN }]) {
      let code: string | undefined;
      try {
        new EventHistory(options);
      } catch (error) {
        code = error instanceof SseError ? error.code : "other";
      }
      expect({ options, code }).toEqual({ options, code: "INVALID_OPTION" });
    }
  });
});
