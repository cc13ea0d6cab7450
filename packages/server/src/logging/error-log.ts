/**
 * How errors become log lines: a background error (a broker reconnecting) as one `warn` line
 * with its name and message; an error answered 500 (a bug) as an `error` line with its stack,
 * which never leaves the server (the answer says only `internal server error`).
 */
import type { Logger } from "./logger.ts";

/** `Name: message` (first line only) of anything thrown. */
export function errorSummary(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split("\n")[0] as string;
}

/**
 * Logs a background error the server recovers from, at `warn`.
 * @example
 * createBroker(options, { onError: (error) => logBackgroundError(logger, error) });
 */
export function logBackgroundError(logger: Logger, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  logger.warn(errorSummary(error), { code: typeof code === "string" ? code : undefined });
}

/**
 * Logs an error answered with 500 INTERNAL, at `error`, with its stack.
 * @example
 * eventsPlugin({ onInternalError: (error) => logInternalError(logger, error) });
 */
export function logInternalError(logger: Logger, error: unknown): void {
  const stack = error instanceof Error ? error.stack : undefined;
  logger.error("internal error answered 500", { error: errorSummary(error), stack });
}
