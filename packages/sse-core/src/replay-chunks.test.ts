import { describe, expect, test } from "vitest";
import { REPLAY_CHUNK_BYTES, ReplayChunks } from "./replay-chunks.ts";

const utf8 = new TextEncoder();
const frame = (text: string): Uint8Array => utf8.encode(`data: ${text}\n\n`);
const framesOf = (count: number, size = 10): Uint8Array[] =>
  Array.from({ length: count }, (_, index) => frame(String(index).padStart(size, "0")));
const decoded = (chunk: Uint8Array): string => new TextDecoder().decode(chunk);

/** Takes chunks from `at` to the end, as a feeding stream does. */
function takeAll(chunks: ReplayChunks, frames: Uint8Array[], at = 0, maxBytes?: number): Uint8Array[] {
  const taken: Uint8Array[] = [];
  while (at < frames.length) {
    const next = chunks.take(frames, at, maxBytes);
    taken.push(next.chunk);
    at += next.frames;
  }
  return taken;
}

describe("ReplayChunks", () => {
  test("joins consecutive frames up to the byte limit, whole frames in order", () => {
    const frames = framesOf(10); // 18 bytes each
    const taken = takeAll(new ReplayChunks(), frames, 0, 40);
    expect(taken.map((chunk) => chunk.byteLength)).toEqual([36, 36, 36, 36, 36]);
    expect(taken.map(decoded).join("")).toBe(frames.map(decoded).join(""));
  });

  test("hands the same bytes to a second replay of the same frames", () => {
    const chunks = new ReplayChunks();
    const frames = framesOf(100);
    const first = takeAll(chunks, frames);
    const second = takeAll(chunks, [...frames]);
    expect(second).toHaveLength(first.length);
    second.forEach((chunk, index) => expect(chunk).toBe(first[index] as Uint8Array));
  });

  test("cuts a replay from another place where a cached run starts, then shares the rest", () => {
    const chunks = new ReplayChunks();
    const frames = framesOf(10);
    const whole = takeAll(chunks, frames, 0, 40); // runs start at frames 0, 2, 4, 6, 8
    const later = takeAll(chunks, frames, 3, 40);
    expect(decoded(later[0] as Uint8Array)).toBe(decoded(frames[3] as Uint8Array));
    expect(later.slice(1)).toEqual(whole.slice(2));
    later.slice(1).forEach((chunk, index) => expect(chunk).toBe(whole[index + 2] as Uint8Array));
  });

  test("does not reuse a run when the frames after its first differ", () => {
    const chunks = new ReplayChunks();
    const frames = framesOf(4);
    const cached = chunks.take(frames, 0).chunk;
    const other = [frames[0] as Uint8Array, frame("other"), frame("more")];
    const next = chunks.take(other, 0);
    expect(next.chunk).not.toBe(cached);
    expect(decoded(next.chunk)).toBe(other.map(decoded).join(""));
    expect(next.frames).toBe(3);
  });

  test("does not reuse a run longer than the replay left or larger than the limit", () => {
    const chunks = new ReplayChunks();
    const frames = framesOf(6);
    chunks.take(frames, 0);
    expect(chunks.take(frames.slice(0, 3), 0).frames).toBe(3);
    expect(chunks.take(frames, 0, 40).chunk.byteLength).toBe(36);
  });

  test("hands a frame alone, or larger than the limit, as its own bytes and keeps nothing for it", () => {
    const chunks = new ReplayChunks();
    const big = frame("x".repeat(REPLAY_CHUNK_BYTES));
    const frames = [big, frame("after")];
    expect(chunks.take(frames, 0)).toEqual({ chunk: big, frames: 1 });
    expect(chunks.take(frames, 0).chunk).toBe(big);
    expect(chunks.take(frames, 1).chunk).toBe(frames[1] as Uint8Array);
    expect(chunks.size).toBe(0);
  });

  test("keeps at most its capacity of runs, dropping the least recently used", () => {
    const chunks = new ReplayChunks(2);
    const a = framesOf(2);
    const b = framesOf(2);
    const c = framesOf(2);
    const aChunk = chunks.take(a, 0).chunk;
    const bChunk = chunks.take(b, 0).chunk;
    expect(chunks.take(a, 0).chunk).toBe(aChunk); // a used again: b is now the oldest
    const cChunk = chunks.take(c, 0).chunk;
    expect(chunks.size).toBe(2);
    expect(chunks.take(a, 0).chunk).toBe(aChunk);
    expect(chunks.take(c, 0).chunk).toBe(cChunk);
    // b was dropped: joined again, into new bytes.
    const again = chunks.take(b, 0).chunk;
    expect(again).not.toBe(bChunk);
    expect(again).toEqual(bChunk);
  });
});
