import { describe, expect, test } from "vitest";
import { createStoredEvent } from "./stored-event.ts";
import { TopicHistory } from "./topic-history.ts";
import type { StoredEvent } from "./types.ts";

function filled(sequences: readonly number[], time = (sequence: number): number => sequence): TopicHistory {
  const history = new TopicHistory("t");
  for (const sequence of sequences) history.push(sequence, createStoredEvent(`e-${sequence}`, "message", "x", ["t"]), time(sequence));
  return history;
}

function after(history: TopicHistory, sequence: number): number[] {
  const into = { sequences: [] as number[], events: [] as StoredEvent[] };
  history.collectAfter(sequence, into);
  expect(into.events.map((event) => event.id)).toEqual(into.sequences.map((each) => `e-${each}`));
  return into.sequences;
}

describe("TopicHistory", () => {
  test("holds events in sequence order and counts their frame bytes", () => {
    const history = filled([2, 5, 9]);
    expect(history.size).toBe(3);
    expect(history.oldestSequence).toBe(2);
    expect(history.oldest?.id).toBe("e-2");
    expect(history.newestSequence).toBe(9);
    // "id: e-N\ndata: x\n\n" is 8 + 8 + 1 bytes.
    expect(history.bytes).toBe(3 * 17);
    expect(history.lostThrough).toBe(0);
  });

  test("collects the events after a sequence, whether or not that sequence is held", () => {
    const history = filled([2, 5, 9]);
    expect(after(history, 0)).toEqual([2, 5, 9]);
    expect(after(history, 2)).toEqual([5, 9]);
    expect(after(history, 3)).toEqual([5, 9]);
    expect(after(history, 9)).toEqual([]);
    expect(after(history, 100)).toEqual([]);
  });

  test("finds an event by its sequence", () => {
    const history = filled([2, 5, 9]);
    expect(history.find(5)?.id).toBe("e-5");
    expect(history.find(4)).toBeUndefined();
  });

  test("remembers the newest sequence it dropped as lost, and gives back its bytes", () => {
    const history = filled([2, 5, 9]);
    expect(history.dropOldest()).toBe(17);
    expect(history.lostThrough).toBe(2);
    expect(history.oldestSequence).toBe(5);
    expect(history.find(2)).toBeUndefined();
    history.dropOldest();
    history.dropOldest();
    expect(history.size).toBe(0);
    expect(history.bytes).toBe(0);
    expect(history.dropOldest()).toBe(0);
    expect(history.lostThrough).toBe(9);
    expect(history.newestSequence).toBe(9);
  });

  test("keeps reading right across many drops (its arrays are compacted)", () => {
    const sequences = Array.from({ length: 1000 }, (_, index) => index * 2 + 1);
    const history = filled(sequences);
    for (let dropped = 0; dropped < 900; dropped++) history.dropOldest();
    expect(history.size).toBe(100);
    expect(history.lostThrough).toBe(sequences[899]);
    expect(after(history, 0)).toEqual(sequences.slice(900));
    expect(after(history, sequences[949] as number)).toEqual(sequences.slice(950));
    expect(history.find(sequences[950] as number)?.id).toBe(`e-${sequences[950]}`);
  });

  test("expires the events stored before a horizon", () => {
    const history = filled([1, 2, 3, 4], (sequence) => sequence * 100);
    expect(history.expire(300)).toBe(2 * 17);
    expect(after(history, 0)).toEqual([3, 4]);
    expect(history.lostThrough).toBe(2);
    expect(history.expire(300)).toBe(0);
  });

  test("starts from the lost sequence of a tombstone", () => {
    const history = new TopicHistory("t", 41);
    expect(history.lostThrough).toBe(41);
    expect(history.newestSequence).toBe(41);
    expect(history.oldestSequence).toBeUndefined();
  });
});
