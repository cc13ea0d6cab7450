import { SseError } from "@events/sse-core";

/** Errors of the `postgres` driver that mean a statement was written and its outcome is unknown. */
const OUTCOME_UNKNOWN = new Set(["CONNECTION_CLOSED", "CONNECTION_DESTROYED"]);

/** Wraps a database failure into `BROKER_UNAVAILABLE`. */
export function unavailable(action: string, where: string, cause: unknown): SseError {
  return new SseError(
    "BROKER_UNAVAILABLE",
    `postgres: cannot ${action} (${reasonOf(cause)}); check that PostgreSQL is running at ${where}, the broker reconnects by itself`,
    { cause },
  );
}

/**
 * Wraps a failed publish: `PUBLISH_UNCONFIRMED` when the connection dropped after the
 * statement was written (the commit may have happened), `BROKER_UNAVAILABLE` otherwise (no
 * connection, or PostgreSQL answered with an error, so nothing was committed).
 */
export function publishFailure(where: string, cause: unknown): SseError {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && OUTCOME_UNKNOWN.has(code)) {
    return new SseError(
      "PUBLISH_UNCONFIRMED",
      `postgres: the event may or may not have been stored (${reasonOf(cause)}); the connection to ${where} dropped before the commit was confirmed`,
      { cause },
    );
  }
  return unavailable("store the event", where, cause);
}

/** The URL without its password, for messages and health details. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*):[^@/]*@/, "//$1:***@");
}

/** One line saying what went wrong. */
export function reasonOf(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}

/** The error of a publish or subscribe after `close()`. */
export function closedError(): SseError {
  return new SseError("BROKER_CLOSED", "the broker is closed; create a new PostgresBroker to publish or subscribe again");
}
