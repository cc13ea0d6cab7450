import type { StreamEvent } from "./events.ts";
import type { StreamStatus } from "./status.ts";

/** The `events` option of `client.stream()`: event names to deliver besides the contract's, or `"all"`. */
export type StreamEventsOption = readonly string[] | "all";

/** Options of `client.stream()`; `E` is the type of `events` (inferred from the call). */
export interface StreamOptions<E extends StreamEventsOption = StreamEventsOption> {
  /**
   * The topics to follow over this one connection: names (`"orders/42"`) or patterns
   * (`"users/7/*"` for every topic under `users/7`, `"*"` for all), sent as repeated
   * `?topic=`. One `Last-Event-ID` resumes all of them. Checked before anything is sent
   * (`INVALID_OPTION` for an empty list or an invalid pattern).
   * @default undefined (no `topic` parameter: the server's default topic, `"events"`)
   */
  readonly topics?: readonly string[];
  /**
   * Event types to deliver besides the contract's (`connected`, `message`, `gap`): the
   * `event` names of publishes (`["order.updated"]`), or `"all"` for every type. Their `data`
   * is parsed JSON, typed `unknown`. Types not asked for are skipped (forward compatible).
   * @default undefined (only the contract's types)
   */
  readonly events?: E;
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
 * A live, self-reconnecting stream of typed events (`T`: the {@link StreamEvent}s, plus the
 * untyped events `StreamOptions.events` asks for). Iterate it once with `for await`;
 * `break` (or `close()`) closes the connection. Fatal errors (a 4xx, a wrong content type)
 * reject the iteration with an `EventsClientError`; a 204 or an abort ends it quietly.
 */
export interface EventStream<T = StreamEvent> extends AsyncIterable<T> {
  /** The id of the last event handed to the consumer (`""` before any, or after the server reset it). */
  readonly lastEventId: string;
  /**
   * Closes the connection and ends the iteration: pending and later `next()` calls resolve
   * `done` at once, even when a custom `fetch` ignores its abort signal.
   */
  close(): void;
  [Symbol.asyncIterator](): AsyncIterator<T, undefined>;
}
