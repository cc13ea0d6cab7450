/**
 * Test support: a stream answer's body (from `app.handle` or `fetch`) read through sse-core's
 * parser, a chunk at a time, without a socket of its own.
 */
import { createParser, type SseMessage } from "@events/sse-core";

/** What {@link streamReader} returns. */
export interface StreamBodyReader {
  readonly events: SseMessage[];
  readonly retries: number[];
  /** Reads until `count` events arrived in all, or the body ended; whether it ended. */
  readUntil(count: number): Promise<boolean>;
  cancel(): Promise<void>;
}

/** A stream body read through sse-core's parser, a chunk at a time. */
export function streamReader(response: Response): StreamBodyReader {
  const events: SseMessage[] = [];
  const retries: number[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event), onRetry: (ms) => retries.push(ms) });
  const reader = response.body!.getReader();
  let ended = false;
  return {
    events,
    retries,
    /** Reads until `count` events arrived in all, or the body ended; whether it ended. */
    async readUntil(count: number): Promise<boolean> {
      while (events.length < count && !ended) {
        const { done, value } = await reader.read();
        if (done) ended = true;
        else parser.feed(value);
      }
      return ended;
    },
    cancel: () => reader.cancel(),
  };
}

/** Reads a stream body until `count` events arrived or it ended, then cancels it. */
export async function firstEvents(response: Response, count: number): Promise<{ events: SseMessage[]; retries: number[]; ended: boolean }> {
  const stream = streamReader(response);
  const ended = await stream.readUntil(count);
  await stream.cancel();
  return { events: stream.events, retries: stream.retries, ended };
}

