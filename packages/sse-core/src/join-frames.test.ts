import { describe, expect, test } from "vitest";
import { MAX_JOINED_BYTES, enqueueJoined, joinFrames } from "./join-frames.ts";

const utf8 = new TextEncoder();

/** The chunks `enqueueJoined` hands a controller. */
function chunksOf(first: Uint8Array, rest: Uint8Array[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  const controller = { enqueue: (chunk: Uint8Array) => void chunks.push(chunk) } as unknown as ReadableStreamDefaultController<Uint8Array>;
  const bytes = rest.reduce((sum, frame) => sum + frame.byteLength, first.byteLength);
  enqueueJoined(controller, first, rest, bytes);
  return chunks;
}

describe("joinFrames", () => {
  test("copies the frames into one chunk, in order", () => {
    expect(new TextDecoder().decode(joinFrames([utf8.encode("a\n\n"), utf8.encode("bc\n\n")]))).toBe("a\n\nbc\n\n");
  });
});

describe("enqueueJoined", () => {
  test("enqueues a frame alone as the same bytes", () => {
    const frame = utf8.encode("data: x\n\n");
    const [chunk] = chunksOf(frame, []);
    expect(chunk).toBe(frame);
  });

  test("joins frames that fit into one chunk", () => {
    const chunks = chunksOf(utf8.encode("a\n\n"), [utf8.encode("b\n\n"), utf8.encode("c\n\n")]);
    expect(chunks.map((chunk) => new TextDecoder().decode(chunk))).toEqual(["a\n\nb\n\nc\n\n"]);
  });

  test("splits a burst past the limit at frame boundaries, a frame larger than the limit going alone", () => {
    const half = new Uint8Array(MAX_JOINED_BYTES / 2).fill(120);
    const big = new Uint8Array(MAX_JOINED_BYTES + 1).fill(121);
    const chunks = chunksOf(half, [half, half, big, half]);
    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([MAX_JOINED_BYTES, MAX_JOINED_BYTES / 2, MAX_JOINED_BYTES + 1, MAX_JOINED_BYTES / 2]);
    expect(chunks[2]).toBe(big);
  });
});
