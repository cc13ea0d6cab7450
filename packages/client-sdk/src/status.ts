import type { EventsClientError } from "./errors.ts";

/** Why the stream is about to reconnect. */
export type ReconnectReason =
  /** `fetch` failed before an answer (refused, reset, DNS). */
  | "network-error"
  /** The connection broke off or the server ended the body. */
  | "connection-lost"
  /** The server answered 408, 429 or 5xx (see `status`). */
  | "http-status"
  /** Nothing arrived for longer than `heartbeatTimeoutMs`: the connection is presumed dead. */
  | "heartbeat-timeout"
  /** The answer redirected more than 5 times (a redirect loop): counted as a failed attempt. */
  | "too-many-redirects"
  /** The `token` function threw or rejected (`TOKEN_ERROR`): counted as a failed attempt, retried with backoff. */
  | "token-error"
  /**
   * The server sent `auth-expired` (the token's `exp` passed) and ended the stream: reconnects at
   * once with a fresh token and `Last-Event-ID`; when it repeats within the reconnection time,
   * with backoff from the floor.
   */
  | "auth-expired"
  /** A 401 with a `token` function: retried once, at once, with a fresh token (a second 401 is fatal). */
  | "unauthorized";

/** Why the stream stopped for good. */
export type CloseReason =
  /** `close()` was called, or the loop consuming the stream ended (`break`). */
  | "closed"
  /** The `signal` given to `stream()` was aborted. */
  | "aborted"
  /** The server answered 204 No Content: it asks the client not to reconnect. */
  | "no-content"
  /** A fatal error (see `error`): a 4xx (401 and 403 included), a wrong content type, an event whose data is not JSON, or `INVALID_TOKEN`. */
  | "error";

/**
 * The connection state of an `EventStream`, reported through `onStatus` so a UI can show it.
 * `attempt` counts connection attempts of this stream from 1.
 */
export type StreamStatus =
  | { readonly state: "connecting"; readonly attempt: number; readonly lastEventId: string }
  | { readonly state: "open"; readonly attempt: number }
  | {
      readonly state: "reconnecting";
      readonly attempt: number;
      /** How long the stream waits before the next attempt, in milliseconds. */
      readonly delayMs: number;
      readonly reason: ReconnectReason;
      /**
       * What went wrong, with the underlying error as `cause`: `NETWORK_ERROR` (`network-error`),
       * `HTTP_ERROR` with `status` (`http-status`, `unauthorized`), `CONNECTION_LOST`, `HEARTBEAT_TIMEOUT`,
       * `TOO_MANY_REDIRECTS`, `TOKEN_ERROR` or `AUTH_EXPIRED` (its message the server's).
       */
      readonly error: EventsClientError;
      /** The HTTP status when `reason` is `"http-status"` or `"unauthorized"`. */
      readonly status?: number;
      /** When the token expired (ISO 8601, the server's `expiredAt`) when `reason` is `"auth-expired"`. */
      readonly expiredAt?: string;
    }
  | { readonly state: "closed"; readonly reason: CloseReason; readonly error?: EventsClientError };

/** The states a stream moves through: `connecting` → `open` → (`reconnecting` → `connecting` → `open`)* → `closed`. */
export type StreamState = StreamStatus["state"];
