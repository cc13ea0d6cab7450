import { describe, expect, test } from "vitest";
import { findGap, type StreamFacts } from "./find-gap.ts";
import { toStreamFacts } from "./stream-info.ts";

const untrimmed: StreamFacts = { exists: true, firstId: "100-0", lastGeneratedId: "300-0", trimmed: false };
const trimmed: StreamFacts = { ...untrimmed, trimmed: true };
const missing: StreamFacts = { exists: false, firstId: undefined, lastGeneratedId: "0-0", trimmed: false };

describe("findGap", () => {
  test("finds no gap when the requested id is held", () => {
    expect(findGap("200-0", true, trimmed)).toBeUndefined();
  });

  test("finds no gap for the origin id while nothing was trimmed", () => {
    expect(findGap("0-0", false, untrimmed)).toBeUndefined();
    expect(findGap("0-0", false, missing)).toBeUndefined();
  });

  test("reports too-old for the origin id and for older ids once the stream was trimmed", () => {
    expect(findGap("0-0", false, trimmed)).toEqual({ requestedId: "0-0", oldestId: "100-0", reason: "too-old" });
    expect(findGap("50-0", false, trimmed)?.reason).toBe("too-old");
  });

  test("assumes trimming when Redis does not say (before 7.0)", () => {
    expect(findGap("50-0", false, { ...untrimmed, trimmed: undefined })?.reason).toBe("too-old");
  });

  test("reports malformed for an id that is not a stream id, whatever the stream holds", () => {
    expect(findGap("abc", true, untrimmed)).toEqual({ requestedId: "abc", oldestId: "100-0", reason: "malformed" });
  });

  test("reports unknown for an id newer than anything generated", () => {
    expect(findGap("301-0", false, trimmed)?.reason).toBe("unknown");
  });

  test("reports other-epoch for an id of a lost history or never part of this one", () => {
    expect(findGap("200-0", false, missing)).toEqual({ requestedId: "200-0", oldestId: undefined, reason: "other-epoch" });
    expect(findGap("50-0", false, untrimmed)?.reason).toBe("other-epoch");
    expect(findGap("200-5", false, trimmed)?.reason).toBe("other-epoch");
  });
});

describe("toStreamFacts", () => {
  test("reads an XINFO STREAM reply", () => {
    const reply = ["length", 100, "last-generated-id", "300-0", "entries-added", 250, "first-entry", ["100-0", ["data", "x"]]];
    expect(toStreamFacts(null, reply)).toEqual({ exists: true, firstId: "100-0", lastGeneratedId: "300-0", trimmed: true });
  });

  test("reads a missing key as an empty, untrimmed stream", () => {
    expect(toStreamFacts(new Error("ERR no such key"), undefined)).toEqual(missing);
  });

  test("rethrows any other error", () => {
    expect(() => toStreamFacts(new Error("WRONGTYPE"), undefined)).toThrow("WRONGTYPE");
  });
});
