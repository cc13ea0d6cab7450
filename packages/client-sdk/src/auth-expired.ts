import { EventsClientError } from "./errors.ts";

/**
 * The event the events server sends when a stream's token reaches its `exp`, right before it
 * ends the stream: no `id`, data `{"message": "...", "expiredAt": "<ISO 8601>"}`. The SDK
 * never yields it; the stream reconnects with a fresh token (status reason `auth-expired`).
 */
export const AUTH_EXPIRED_EVENT = "auth-expired";

/** What an `auth-expired` event said: the error the `reconnecting` status carries, and when. */
export interface AuthExpiry {
  readonly error: EventsClientError;
  readonly expiredAt: string | undefined;
}

/** Reads an `auth-expired` event's data; data of another shape still means the token expired. */
export function readAuthExpired(data: string, url: string): AuthExpiry {
  let message: unknown;
  let expiredAt: unknown;
  try {
    ({ message, expiredAt } = JSON.parse(data) as { message?: unknown; expiredAt?: unknown });
  } catch {
    // The event's name is the signal; its data only adds detail.
  }
  const reason = typeof message === "string" && message !== "" ? message : "token expired";
  return {
    error: new EventsClientError("AUTH_EXPIRED", `the stream from ${url} ended at its token's expiry (${reason}); reconnecting with a fresh token`),
    expiredAt: typeof expiredAt === "string" ? expiredAt : undefined,
  };
}
