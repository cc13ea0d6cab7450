import type { StreamEvent } from "./events.ts";
import type { StreamStatus } from "./status.ts";

/** Options of `client.stream()`. */
export interface StreamOptions {
  /**
   * Resume after this event id (sent as `Last-Event-ID`, UTF-8 encoded), e.g. one saved by an earlier run.
   * @default undefined (start from the newest event)
   */
  readonly lastEventId?: string;
  /**
   * Aborting it closes the stream at any point: while connecting, reading, or waiting to reconnect.
   * @default undefined
   */
  readonly signal?: AbortSignal;
  /**
   * Called on every state change of this stream (after the client's own `onStatus`).
   * @default undefined
   */
  readonly onStatus?: (status: StreamStatus) => void;
}

/**
 * A live, self-reconnecting stream of typed events. Iterate it once with `for await`;
 * `break` (or `close()`) closes the connection. Fatal errors (a 4xx, a wrong content type)
 * reject the iteration with an `EventsClientError`; a 204 or an abort ends it quietly.
 */
export interface EventStream extends AsyncIterable<StreamEvent> {
  /** The id of the last event handed to the consumer (`""` before any, or after the server reset it). */
  readonly lastEventId: string;
  /**
   * Closes the connection and ends the iteration: pending and later `next()` calls resolve
   * `done` at once, even when a custom `fetch` ignores its abort signal.
   */
  close(): void;
  [Symbol.asyncIterator](): AsyncIterator<StreamEvent, undefined>;
}
