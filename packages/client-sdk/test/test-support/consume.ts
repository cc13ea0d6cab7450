import type { EventStream, StreamEvent, StreamStatus } from "@events/client-sdk";

/** A stream consumed in the background: what it yielded so far, and how it ended. */
export interface Consumer {
  readonly events: StreamEvent[];
  readonly messages: string[];
  readonly finished: Promise<unknown>;
}

/** Consumes `stream` in the background into arrays the test can watch. */
export function consume(stream: EventStream): Consumer {
  const events: StreamEvent[] = [];
  const messages: string[] = [];
  const finished = (async (): Promise<unknown> => {
    try {
      for await (const event of stream) {
        events.push(event);
        if (event.type === "message") messages.push(event.data.message);
      }
      return undefined;
    } catch (error) {
      return error;
    }
  })();
  return { events, messages, finished };
}

/** Records statuses for `onStatus`. */
export function statusLog(): { statuses: StreamStatus[]; onStatus: (status: StreamStatus) => void } {
  const statuses: StreamStatus[] = [];
  return { statuses, onStatus: (status) => statuses.push(status) };
}
