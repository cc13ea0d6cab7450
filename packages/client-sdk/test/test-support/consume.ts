import type { EventStream, StreamStatus, UntypedStreamEvent } from "@events/client-sdk";
import { Changes } from "../../../server/test/support/changes.ts";

/** A stream consumed in the background: what it yielded so far, and how it ended. */
export interface Consumer {
  readonly events: UntypedStreamEvent[];
  readonly messages: string[];
  readonly finished: Promise<unknown>;
  /** Resolves once `condition` holds, checked after each event the stream yields; rejects after `timeoutMs`. */
  until(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
}

/** Consumes `stream` in the background into arrays the test can watch. */
export function consume(stream: EventStream<UntypedStreamEvent>): Consumer {
  const events: UntypedStreamEvent[] = [];
  const messages: string[] = [];
  const changes = new Changes();
  const finished = (async (): Promise<unknown> => {
    try {
      for await (const event of stream) {
        events.push(event);
        if (event.type === "message") messages.push((event.data as { message: string }).message);
        changes.notify();
      }
      return undefined;
    } catch (error) {
      return error;
    }
  })();
  return { events, messages, finished, until: (condition, what, timeoutMs = 20_000) => changes.until(condition, what, timeoutMs) };
}

/** Records statuses for `onStatus`; `until` waits for a status, checked as each arrives. */
export function statusLog(): {
  statuses: StreamStatus[];
  onStatus: (status: StreamStatus) => void;
  until(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
} {
  const statuses: StreamStatus[] = [];
  const changes = new Changes();
  return {
    statuses,
    onStatus: (status) => {
      statuses.push(status);
      changes.notify();
    },
    until: (condition, what, timeoutMs = 20_000) => changes.until(condition, what, timeoutMs),
  };
}
