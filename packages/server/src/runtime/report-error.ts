/**
 * What the runtime entries report when they have no logger of their own yet (a start-up
 * failure) or were given none (`startBunServer` called by a program): the same lines as the
 * server's logger writes, on a text logger at the default level.
 */
import { logBackgroundError, logInternalError } from "../logging/error-log.ts";
import { createConsoleLogger } from "./console-logger.ts";

const fallback = createConsoleLogger();

/** One `warn` line for an operator: `Name: message`. */
export function reportError(error: unknown): void {
  logBackgroundError(fallback, error);
}

/** An error answered with 500 INTERNAL: an `error` line with the whole stack, for whoever fixes it. */
export function reportInternalError(error: unknown): void {
  logInternalError(fallback, error);
}
