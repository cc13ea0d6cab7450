/**
 * The error a server that cannot start as configured throws: at start-up, once, never as
 * the answer to a request (those are `HttpError`s).
 */

/** Why the server cannot start. Stable: embedding programs may key on these. */
export type ServerOptionsErrorCode =
  /** An option is out of range or malformed. */
  | "INVALID_OPTION"
  /** `--broker redis` or `postgres` was chosen and its package (`@events/redis-broker`, `@events/postgres-broker`) cannot be loaded. */
  | "BROKER_NOT_INSTALLED"
  /** `--broker postgres` was chosen and Postgres cannot be reached, or the broker's table cannot be created there. */
  | "BROKER_UNREACHABLE";

/** A server that cannot start with its options; the message names the option and the fix. */
export class ServerOptionsError extends Error {
  override readonly name = "ServerOptionsError";
  readonly code: ServerOptionsErrorCode;

  constructor(code: ServerOptionsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
