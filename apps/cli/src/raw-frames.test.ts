import { describe, expect, test } from "vitest";
import { frameDispatches, RawFramePrinter, SseFrameSplitter } from "./raw-frames.ts";

const STREAM = 'retry: 1000\n\nevent: connected\nid: a-0\ndata: {"n":0}\n\n: keepalive\n\r\nid: a-1\r\ndata: one\r\ndata: two\r\n\r\ndata\r\rid: a-2\n';
const FRAMES = ["retry: 1000\n\n", 'event: connected\nid: a-0\ndata: {"n":0}\n\n', ": keepalive\n\r\n", "id: a-1\r\ndata: one\r\ndata: two\r\n\r\n", "data\r\r"];
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function split(chunks: readonly Uint8Array[]): string[] {
  const splitter = new SseFrameSplitter();
  return chunks.flatMap((chunk) => splitter.push(chunk));
}

describe("SseFrameSplitter", () => {
  test("cuts frames at an empty line whatever the line ends, fed whole", () => {
    expect(split([bytes(STREAM)])).toEqual(FRAMES);
  });

  test("cuts the same frames fed byte by byte and split at every index", () => {
    const all = bytes(STREAM);
    expect(split([...all].map((byte) => Uint8Array.of(byte)))).toEqual(FRAMES);
    for (let at = 0; at <= all.length; at++) expect(split([all.subarray(0, at), all.subarray(at)])).toEqual(FRAMES);
  });

  test("reads CRLF as one line end, not an empty line", () => {
    expect(split([bytes("data: a\r\ndata: b\r\n")])).toEqual([]);
    expect(split([bytes("data: a\r"), bytes("\n"), bytes("\r"), bytes("\n")])).toEqual(["data: a\r\n\r\n"]);
  });

  test("decodes UTF-8 split across chunks", () => {
    const all = bytes("data: é€😀\n\n");
    expect(split([all.subarray(0, 8), all.subarray(8)])).toEqual(["data: é€😀\n\n"]);
  });
});

describe("frameDispatches", () => {
  test("is true for a frame with a data field, an empty one included", () => {
    expect(frameDispatches("data: x\n\n")).toBe(true);
    expect(frameDispatches("event: e\r\ndata\r\n\r\n")).toBe(true);
    expect(frameDispatches("id: 1\ndata:\n\n")).toBe(true);
  });

  test("is false for comments, retry and a lone id", () => {
    for (const frame of [": keepalive\n\n", "retry: 10\n\n", "id: 3\n\n", "datum: x\n\n", ": data: x\n\n"]) expect(frameDispatches(frame)).toBe(false);
  });
});

describe("RawFramePrinter", () => {
  test("writes other frames at once and each event frame when its event is yielded", async () => {
    const written: string[] = [];
    const printer = new RawFramePrinter(async (text) => void written.push(text));
    printer.onFrame("retry: 1\n\n");
    printer.onFrame("data: a\n\n");
    printer.onFrame(": ka\n\n");
    printer.onFrame("data: b\n\n");
    expect(written).toEqual(["retry: 1\n\n"]);
    await printer.onEvent();
    expect(written).toEqual(["retry: 1\n\n", "data: a\n\n", ": ka\n\n"]);
    await printer.onEvent();
    expect(written).toEqual(["retry: 1\n\n", "data: a\n\n", ": ka\n\n", "data: b\n\n"]);
    printer.onFrame(": ka\n\n");
    expect(written.at(-1)).toBe(": ka\n\n");
  });

  test("reads an event-stream answer through its fetch, passing the bytes on unchanged", async () => {
    const written: string[] = [];
    const printer = new RawFramePrinter(async (text) => void written.push(text));
    const fetch = printer.wrapFetch(async () => new Response(": hi\n\ndata: x\n\n", { headers: { "content-type": "text/event-stream" } }));
    const response = await fetch("http://events.test/events/stream", {});
    expect(await response.text()).toBe(": hi\n\ndata: x\n\n");
    expect(written).toEqual([": hi\n\n"]);
    await printer.onEvent();
    expect(written).toEqual([": hi\n\n", "data: x\n\n"]);
  });

  test("leaves other answers alone", async () => {
    const written: string[] = [];
    const printer = new RawFramePrinter(async (text) => void written.push(text));
    const fetch = printer.wrapFetch(async () => Response.json({ error: { code: "X", message: "data: y\n\n" } }, { status: 400 }));
    expect((await fetch("http://events.test/events/stream", {})).status).toBe(400);
    expect(written).toEqual([]);
  });
});
