import { lastEventIdHeader, openConnection, retryableFailure, EVENT_STREAM_TYPE, type OpenResult, type RetryableFailure } from "./connection.ts";
import type { ResolvedConnectionOptions } from "./connection-options.ts";
import { EventsClientError } from "./errors.ts";
import { withFreshToken } from "./token.ts";

/**
 * How opening one attempt's connection ended: as `openConnection` says, or a 401 worth one more
 * attempt with a fresh token, or `stopped` while the token function ran.
 */
export type ConnectResult =
  | OpenResult
  | { readonly kind: "unauthorized"; readonly error: EventsClientError }
  | { readonly kind: "stopped" };

const STOPPED: ConnectResult = Object.freeze({ kind: "stopped" });

/**
 * The opening side of a `ReconnectingStream`'s attempts: the request's headers (`Last-Event-ID`,
 * a fresh token), the redirect mode a browser forces on us, and the one retry of a 401 with a
 * fresh token since the stream last opened.
 */
export class StreamConnector {
  readonly #url: string;
  readonly #client: ResolvedConnectionOptions;
  /** Whether `fetch` follows redirects itself: a browser answers `redirect: "manual"` with an opaque redirect. */
  #redirect: "manual" | "follow" = "manual";
  /** Whether a 401 was already retried with a fresh token since the stream last opened. */
  #retriedUnauthorized = false;

  constructor(url: string, client: ResolvedConnectionOptions) {
    this.#url = url;
    this.#client = client;
  }

  /**
   * Sends the request of one attempt, resuming after `lastEventId` ("" for none); `isStopped`
   * is asked once the token function settles. Throws `EventsClientError` for a fatal answer.
   */
  async connect(lastEventId: string, signal: AbortSignal, isStopped: () => boolean): Promise<ConnectResult> {
    const headers: Record<string, string> = { accept: EVENT_STREAM_TYPE, ...this.#client.headers };
    if (lastEventId !== "") headers["last-event-id"] = lastEventIdHeader(lastEventId);
    // Only a token function costs an await: without one the request goes out in this turn.
    if (this.#client.getToken !== undefined) {
      const failure = await this.#addFreshToken(headers, signal);
      if (isStopped()) return STOPPED;
      if (failure !== undefined) return { kind: "retry", failure };
    }
    const request = { url: this.#url, headers, fetch: this.#client.fetch, signal, now: this.#client.now };
    try {
      const opened = await openConnection({ ...request, redirect: this.#redirect });
      if (opened.kind !== "opaque-redirect") return opened;
      // A browser hides the redirect from us: let it follow redirects (up to its own 20) from now on.
      this.#redirect = "follow";
      return await openConnection({ ...request, redirect: "follow" });
    } catch (error) {
      if (!this.#mayRetryUnauthorized(error)) throw error;
      this.#retriedUnauthorized = true;
      return { kind: "unauthorized", error };
    }
  }

  /** The stream is open: a later 401 is worth one more fresh token again. */
  opened(): void {
    this.#retriedUnauthorized = false;
  }

  /**
   * Sets `headers.authorization` from the token function. Its `TOKEN_ERROR` is returned as a
   * failure (the stream retries with backoff); `INVALID_TOKEN` is thrown (fatal: a bug to fix).
   */
  async #addFreshToken(headers: Record<string, string>, signal: AbortSignal): Promise<RetryableFailure | undefined> {
    try {
      Object.assign(headers, await withFreshToken({}, this.#client.getToken, signal));
      return undefined;
    } catch (error) {
      if (error instanceof EventsClientError && error.code === "TOKEN_ERROR") return retryableFailure("token-error", this.#url, { cause: error.cause });
      throw error;
    }
  }

  /** A 401 is worth one more attempt with a fresh token: only with a token function, once since the stream last opened. */
  #mayRetryUnauthorized(error: unknown): error is EventsClientError {
    return error instanceof EventsClientError && error.status === 401 && this.#client.getToken !== undefined && !this.#retriedUnauthorized;
  }
}
