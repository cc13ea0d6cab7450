import { describe, expect, test } from "vitest";
import { SseParserStream } from "./parse-stream.ts";
import { bytes, splitEvery } from "./test-support/feed.ts";
import type { SseMessage } from "./types.ts";

async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const items: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return items;
    items.push(value);
  }
}

function source<T>(chunks: readonly T[]): ReadableStream<T> {
  return new ReadableStream<T>({
    start(controller): void {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

describe("SseParserStream", () => {
  test("turns a byte stream cut anywhere into events", async () => {
    const stream = bytes([0xef, 0xbb, 0xbf], "id: 1\r\nevent: add\r\ndata: é\r\ndata: 😀\r\n\r\ndata: two\n\n");
    const events = await collect(source(splitEvery(stream, 3)).pipeThrough(new SseParserStream()));
    expect(events).toEqual([
      { type: "add", data: "é\n😀", lastEventId: "1" },
      { type: "message", data: "two", lastEventId: "1" },
    ]);
  });

  test("accepts decoded text, as from a TextDecoderStream", async () => {
    const events = await collect(source(["data: a\n", "\ndata: b\n\n"]).pipeThrough(new SseParserStream()));
    expect(events.map((event) => event.data)).toEqual(["a", "b"]);
  });

  test("discards an event the input ends inside", async () => {
    const events = await collect(source([bytes("data: a\n\ndata: b\n")]).pipeThrough(new SseParserStream()));
    expect(events.map((event) => event.data)).toEqual(["a"]);
  });

  test("reports retry, comments and the last event id", async () => {
    const retries: number[] = [];
    const comments: string[] = [];
    const parser = new SseParserStream({ onRetry: (ms) => retries.push(ms), onComment: (text) => comments.push(text) });
    const events: SseMessage[] = await collect(source([bytes("retry: 3000\n: hi\nid: 9\n\n")]).pipeThrough(parser));
    expect(events).toEqual([]);
    expect(retries).toEqual([3000]);
    expect(comments).toEqual(["hi"]);
    expect(parser.lastEventId).toBe("9");
  });
});
