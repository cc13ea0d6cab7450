import { describe, expect, test } from "vitest";
import type { GapNotice, SubscriptionOpening } from "./broker.ts";
import { createEventStreamCounters, type EventStreamOptions } from "./event-stream.ts";
import { type OpeningFramesSource, openingFrames } from "./opening-frames.ts";

const utf8 = new TextEncoder();
const retryFrame = utf8.encode("retry: 3000\n\n");
const tooOld: GapNotice = { requestedId: "1-1", oldestId: "1-4", reason: "too-old", topics: ["events"] };

function sourceOf(options: EventStreamOptions, retry: Uint8Array | undefined): OpeningFramesSource {
  return { broker: { subscriberCount: 2 }, options, retryFrame: retry, gapEventName: "gap", defaultTopic: "events" };
}

function openingOf(gap: GapNotice | undefined, replayed = 0): SubscriptionOpening {
  return { cursor: "1-5", replayed, gap };
}

function text(chunk: Uint8Array | undefined): string | undefined {
  return chunk === undefined ? undefined : new TextDecoder().decode(chunk);
}

describe("openingFrames", () => {
  test("joins retry, the opening event with the cursor as id and the gap, in that order", () => {
    const options: EventStreamOptions = { openingEvent: ({ subscriberCount }) => ({ event: "connected", data: `${subscriberCount}` }) };
    expect(text(openingFrames(sourceOf(options, retryFrame), openingOf(tooOld)))).toBe(
      'retry: 3000\n\nid: 1-5\nevent: connected\ndata: 2\n\nevent: gap\ndata: {"requestedId":"1-1","oldestId":"1-4","reason":"too-old"}\n\n',
    );
  });

  test("hands a frame alone over as the same bytes", () => {
    expect(openingFrames(sourceOf({}, retryFrame), openingOf(undefined))).toBe(retryFrame);
  });

  test("returns undefined when there is nothing to open with", () => {
    expect(openingFrames(sourceOf({ openingEvent: () => undefined }, undefined), openingOf(undefined))).toBeUndefined();
  });

  test("writes an opening event without a name as a message", () => {
    expect(text(openingFrames(sourceOf({ openingEvent: () => ({ data: "hi" }) }, undefined), openingOf(undefined)))).toBe("id: 1-5\ndata: hi\n\n");
  });

  test("adds the gap's topics unless only the default topic is followed", () => {
    const gap: GapNotice = { requestedId: "x", oldestId: undefined, reason: "malformed", topics: ["a", "b/*"] };
    expect(text(openingFrames(sourceOf({ topics: ["events"] }, undefined), openingOf(gap)))).toBe(
      'event: gap\ndata: {"requestedId":"x","oldestId":null,"reason":"malformed"}\n\n',
    );
    expect(text(openingFrames(sourceOf({ topics: ["a", "b/*"] }, undefined), openingOf(gap)))).toBe(
      'event: gap\ndata: {"requestedId":"x","oldestId":null,"reason":"malformed","topics":["a","b/*"]}\n\n',
    );
  });

  test("counts the replayed events and the gap", () => {
    const counters = createEventStreamCounters();
    openingFrames(sourceOf({ counters }, retryFrame), openingOf(tooOld, 3));
    expect(counters).toEqual({ delivered: 0, replayed: 3, gaps: 1, slowConsumerDisconnects: 0 });
  });

  test("counts the replayed events but no gap when the opening event throws", () => {
    const counters = createEventStreamCounters();
    const options: EventStreamOptions = { counters, openingEvent: () => { throw new Error("boom"); } };
    expect(() => openingFrames(sourceOf(options, retryFrame), openingOf(tooOld, 3))).toThrow("boom");
    expect(counters).toEqual({ delivered: 0, replayed: 3, gaps: 0, slowConsumerDisconnects: 0 });
  });
});
