/**
 * What the runtime entries write to stderr. Background errors (a broker that reconnects)
 * take one line; an error that became a 500 is a bug, so its stack goes to the log (and
 * never into the answer).
 */

/** One line for an operator: `events-server: Name: message`. */
export function reportError(error: unknown): void {
  const line = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`events-server: ${line.split("\n")[0]}`);
}

/** An error answered with 500 INTERNAL: the whole stack, for whoever fixes it. */
export function reportInternalError(error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  console.error(`events-server: internal error answered 500: ${detail}`);
}
