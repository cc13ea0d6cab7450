import type { UnknownEventMode } from "./events.ts";
import type { StreamStatus } from "./status.ts";

/** Options of `client.stream()`; `Mode` is the type of `onUnknownEvent` (inferred from the call). */
export interface StreamOptions<Mode extends UnknownEventMode = UnknownEventMode> {
  /**
   * The topics to follow over this one connection: names (`"orders/42"`) or patterns
   * (`"users/7/*"` for every topic under `users/7`, `"*"` for all), sent as repeated
   * `?topic=`. One `Last-Event-ID` resumes all of them. Checked before anything is sent
   * (`INVALID_OPTION` for an empty list or an invalid pattern).
   * @default undefined (no `topic` parameter: the server's default topic, `"events"`)
   */
  readonly topics?: readonly string[];
  /**
   * What to do with an event of a type outside the contract (known only with the client's
   * `knownEvents`): `"yield"` it as an `UnknownStreamEvent` (`unknown: true`, `raw`), or `"skip"`
   * it (then the yielded union has no unknown member, and `type` narrows without testing `unknown`).
   * @default "yield"
   */
  readonly onUnknownEvent?: Mode;
  /**
   * Kept from issue 15 for compatibility: every event type is delivered now, so `"all"` changes nothing.
   * @default undefined
   * @deprecated Every type is delivered; leave it out.
   */
  readonly events?: "all";
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
 * A live, self-reconnecting stream of events of type `T`. Iterate it once with `for await`;
 * `break` (or `close()`) closes the connection. Fatal errors (a 4xx, a wrong content type)
 * reject the iteration with an `EventsClientError`; a 204 or an abort ends it quietly.
 */
export interface EventStream<T> extends AsyncIterable<T> {
  /** The id of the last event handed to the consumer (`""` before any, or after the server reset it). */
  readonly lastEventId: string;
  /**
   * Closes the connection and ends the iteration: pending and later `next()` calls resolve
   * `done` at once, even when a custom `fetch` ignores its abort signal.
   */
  close(): void;
  [Symbol.asyncIterator](): AsyncIterator<T, undefined>;
}
