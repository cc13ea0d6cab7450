import { describe, expect, test } from "vitest";
import { ReplayBacklog } from "./replay-backlog.ts";
import { ReplayChunks } from "./replay-chunks.ts";

const utf8 = new TextEncoder();
const frame = (text: string): Uint8Array => utf8.encode(`data: ${text}\n\n`);
const text = (chunk: Uint8Array): string => new TextDecoder().decode(chunk);

describe("ReplayBacklog", () => {
  test("takes replayed events until the broker's count is reached, then live ones behind them", () => {
    const backlog = new ReplayBacklog(2);
    expect(backlog.expectsReplay).toBe(true);
    backlog.addReplayed(frame("r1"));
    backlog.addReplayed(frame("r2"));
    expect(backlog.expectsReplay).toBe(false);
    backlog.addLive(frame("live"));
    expect(backlog.liveBytes).toBe(frame("live").byteLength);
    expect(backlog.empty).toBe(false);
  });

  test("hands the frames over in order, in chunks of at most the limit, and counts live bytes out as they go", () => {
    const backlog = new ReplayBacklog(3);
    for (const name of ["r1", "r2", "r3"]) backlog.addReplayed(frame(name));
    backlog.addLive(frame("l1"));
    backlog.addLive(frame("l2"));
    const chunks = new ReplayChunks();
    const size = frame("r1").byteLength;
    const taken: string[] = [];
    const liveLeft: number[] = [];
    while (!backlog.empty) {
      taken.push(text(backlog.take(chunks, size * 2)));
      liveLeft.push(backlog.liveBytes);
    }
    expect(taken).toEqual(["data: r1\n\ndata: r2\n\n", "data: r3\n\ndata: l1\n\n", "data: l2\n\n"]);
    expect(liveLeft).toEqual([size * 2, size, 0]);
  });

  test("an empty replay is empty at once", () => {
    const backlog = new ReplayBacklog(0);
    expect(backlog.expectsReplay).toBe(false);
    expect(backlog.empty).toBe(true);
  });
});
