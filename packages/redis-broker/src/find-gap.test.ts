import { describe, expect, test } from "vitest";
import { forgottenTopicsMayHaveLost, type HistoryBounds, historyGapReason, isExpired, topicLostEvents } from "./find-gap.ts";
import { MISSING_STREAM, type StreamFacts, toStreamFacts } from "./stream-info.ts";
import { parseStreamId, type StreamId } from "./stream-id.ts";

const untrimmed: StreamFacts = { exists: true, firstId: "100-0", lastGeneratedId: "300-0", trimmed: false, maxDeletedId: "0-0" };
const trimmed: StreamFacts = { ...untrimmed, trimmed: true };
const noBounds: HistoryBounds = { now: 1_000_000, historyTtlMs: false, evictedThroughId: undefined };

function id(text: string): StreamId {
  return parseStreamId(text) as StreamId;
}

describe("historyGapReason", () => {
  const ids = { lastId: "300-0", firstId: "100-0" };

  test("finds no gap for an id this history handed out, or for the origin id", () => {
    expect(historyGapReason("200-0", ids)).toBeUndefined();
    expect(historyGapReason("100-0", ids)).toBeUndefined();
    expect(historyGapReason("300-0", ids)).toBeUndefined();
    expect(historyGapReason("0-0", { lastId: undefined, firstId: undefined })).toBeUndefined();
  });

  test("reports other-epoch for an id of a lost history or when nothing was ever handed out", () => {
    expect(historyGapReason("50-0", ids)).toBe("other-epoch");
    expect(historyGapReason("200-0", { lastId: undefined, firstId: undefined })).toBe("other-epoch");
  });

  test("reports unknown for an id newer than anything handed out", () => {
    expect(historyGapReason("300-1", ids)).toBe("unknown");
  });
});

describe("topicLostEvents", () => {
  test("finds no loss in an untrimmed stream, whatever the id", () => {
    expect(topicLostEvents(id("0-0"), untrimmed, [], noBounds)).toBe(false);
    expect(topicLostEvents(id("50-0"), untrimmed, [], noBounds)).toBe(false);
  });

  test("finds a loss before the first entry of a trimmed stream, none from it on", () => {
    expect(topicLostEvents(id("0-0"), trimmed, [], noBounds)).toBe(true);
    expect(topicLostEvents(id("99-5"), trimmed, [], noBounds)).toBe(true);
    expect(topicLostEvents(id("100-0"), trimmed, [], noBounds)).toBe(false);
  });

  test("assumes trimming when Redis does not say (before 7.0)", () => {
    expect(topicLostEvents(id("50-0"), { ...untrimmed, trimmed: undefined }, [], noBounds)).toBe(true);
  });

  test("finds a loss below max-deleted-entry-id (a stream created after its topic was evicted or expired)", () => {
    const recreated: StreamFacts = { ...untrimmed, firstId: "250-0", maxDeletedId: "200-0" };
    expect(topicLostEvents(id("150-0"), recreated, [], noBounds)).toBe(true);
    expect(topicLostEvents(id("200-0"), recreated, [], noBounds)).toBe(false);
  });

  test("finds a loss when an entry after the id is past the age bound", () => {
    const bounds: HistoryBounds = { now: 10_000, historyTtlMs: 1000, evictedThroughId: undefined };
    expect(topicLostEvents(id("100-0"), untrimmed, [["8999-0", []]], bounds)).toBe(true);
    expect(topicLostEvents(id("100-0"), untrimmed, [["9000-0", []]], bounds)).toBe(false);
  });

  test("treats a missing stream as a forgotten topic", () => {
    expect(topicLostEvents(id("50-0"), MISSING_STREAM, [], noBounds)).toBe(false);
    expect(topicLostEvents(id("50-0"), MISSING_STREAM, [], { ...noBounds, evictedThroughId: "60-0" })).toBe(true);
  });
});

describe("forgottenTopicsMayHaveLost", () => {
  test("answers yes below the newest id an evicted topic held, no from it on", () => {
    const bounds = { ...noBounds, evictedThroughId: "500-3" };
    expect(forgottenTopicsMayHaveLost(id("500-2"), bounds)).toBe(true);
    expect(forgottenTopicsMayHaveLost(id("500-3"), bounds)).toBe(false);
  });

  test("answers yes for an id as old as the age bound, as an expired topic's events were", () => {
    const bounds: HistoryBounds = { now: 10_000, historyTtlMs: 1000, evictedThroughId: undefined };
    expect(forgottenTopicsMayHaveLost(id("9000-7"), bounds)).toBe(true);
    expect(forgottenTopicsMayHaveLost(id("9001-0"), bounds)).toBe(false);
    expect(forgottenTopicsMayHaveLost(id("0-0"), noBounds)).toBe(false);
  });
});

describe("isExpired", () => {
  test("is never true without an age bound, and true below now - ttl with one", () => {
    expect(isExpired("1-0", noBounds)).toBe(false);
    const bounds: HistoryBounds = { now: 10_000, historyTtlMs: 1000, evictedThroughId: undefined };
    expect(isExpired("8999-9", bounds)).toBe(true);
    expect(isExpired("9000-0", bounds)).toBe(false);
  });
});

describe("toStreamFacts", () => {
  test("reads an XINFO STREAM reply", () => {
    const reply = [
      "length", 100, "last-generated-id", "300-0", "max-deleted-entry-id", "20-0", "entries-added", 250, "first-entry", ["100-0", ["data", "x"]],
    ];
    expect(toStreamFacts(null, reply)).toEqual({ exists: true, firstId: "100-0", lastGeneratedId: "300-0", trimmed: true, maxDeletedId: "20-0" });
  });

  test("reads a missing key as an empty, untrimmed stream", () => {
    expect(toStreamFacts(new Error("ERR no such key"), undefined)).toEqual(MISSING_STREAM);
  });

  test("rethrows any other error", () => {
    expect(() => toStreamFacts(new Error("WRONGTYPE"), undefined)).toThrow("WRONGTYPE");
  });
});
