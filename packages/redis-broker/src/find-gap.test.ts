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
  const lost = (requested: string, facts: StreamFacts, entries: [string, string[]][] = [], bounds = noBounds, forgottenLastId?: string): boolean =>
    topicLostEvents(id(requested), { facts, entries, forgottenLastId }, bounds);

  test("finds no loss in an untrimmed stream, whatever the id", () => {
    expect(lost("0-0", untrimmed)).toBe(false);
    expect(lost("50-0", untrimmed)).toBe(false);
  });

  test("finds a loss exactly below max-deleted-entry-id (the newest id trimmed, or lost before the stream was created)", () => {
    const cut: StreamFacts = { ...trimmed, firstId: "250-0", maxDeletedId: "200-0" };
    expect(lost("0-0", cut)).toBe(true);
    expect(lost("199-9", cut)).toBe(true);
    expect(lost("200-0", cut)).toBe(false);
    expect(lost("220-0", cut)).toBe(false);
  });

  test("finds a loss before the first entry of a stream trimmed by something else", () => {
    expect(lost("99-5", trimmed)).toBe(true);
    expect(lost("100-0", trimmed)).toBe(false);
    expect(lost("50-0", { ...untrimmed, trimmed: undefined })).toBe(true);
  });

  test("finds a loss when an entry after the id is past the age bound", () => {
    const bounds: HistoryBounds = { now: 10_000, historyTtlMs: 1000, evictedThroughId: undefined };
    expect(lost("100-0", untrimmed, [["8999-0", []]], bounds)).toBe(true);
    expect(lost("100-0", untrimmed, [["9000-0", []]], bounds)).toBe(false);
  });

  test("finds a loss for a gone stream below the newest id it or any forgotten topic held", () => {
    expect(lost("50-0", MISSING_STREAM)).toBe(false);
    expect(lost("50-0", MISSING_STREAM, [], { ...noBounds, evictedThroughId: "60-0" })).toBe(true);
    expect(lost("50-0", MISSING_STREAM, [], noBounds, "70-0")).toBe(true);
    expect(lost("70-0", MISSING_STREAM, [], noBounds, "70-0")).toBe(false);
  });
});

describe("forgottenTopicsMayHaveLost", () => {
  test("answers yes below the newest id a forgotten topic held, no from it on", () => {
    const bounds = { ...noBounds, evictedThroughId: "500-3" };
    expect(forgottenTopicsMayHaveLost(id("500-2"), bounds)).toBe(true);
    expect(forgottenTopicsMayHaveLost(id("500-3"), bounds)).toBe(false);
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
