/**
 * One client of a reconnect storm that parses its whole stream (sse-core's parser) and checks
 * that it gets exactly the events after its Last-Event-ID, in order, each once: what the raw
 * marker-counting pool cannot see.
 */
import { createParser } from "@events/sse-core";

/** What one checking client saw. */
export interface ResumeCheck {
  /** The `message` events' ids were exactly the expected ones, in order, and no gap was announced. */
  readonly exact: boolean;
  readonly received: number;
  readonly expected: number;
}

/**
 * Resumes `url` from `lastEventId` and reads until `expected.length` message events arrived
 * (or `timeoutMs` passed, or the server ended the stream).
 */
export async function verifyResume(url: string, lastEventId: string, expected: readonly string[], timeoutMs: number): Promise<ResumeCheck> {
  const ids: string[] = [];
  let gap = false;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const parser = createParser({
    onEvent: (event) => {
      if (event.type === "message") ids.push(event.lastEventId);
      else if (event.type === "gap") gap = true;
    },
  });
  try {
    const response = await fetch(url, { headers: { accept: "text/event-stream", "last-event-id": lastEventId }, signal: abort.signal });
    const reader = response.body?.getReader();
    while (reader !== undefined && ids.length < expected.length) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(value);
    }
  } catch {
    // A refused or timed-out stream is reported through `exact: false` (fewer ids than expected).
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  const exact = !gap && ids.length === expected.length && ids.every((id, index) => id === expected[index]);
  return { exact, received: ids.length, expected: expected.length };
}
