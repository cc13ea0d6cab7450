/** Whether the tests that need PostgreSQL can run: they skip with a message, or fail under REQUIRE_POSTGRES=1 (CI). */
import { connect } from "node:net";

/** The PostgreSQL the tests use (trust auth; each test makes tables of its own and drops them). */
export const POSTGRES_URL: string = process.env["POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

async function postgresReachable(): Promise<boolean> {
  const url = new URL(POSTGRES_URL);
  return await new Promise<boolean>((resolve) => {
    const socket = connect(Number(url.port || 5432), url.hostname);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on("connect", () => done(true));
    socket.on("error", () => done(false));
  });
}

/**
 * True when the PostgreSQL tests of `what` must skip (no PostgreSQL, and not required); throws
 * under REQUIRE_POSTGRES=1 when it is missing, so CI never skips them silently.
 */
export async function skipWithoutPostgres(what: string): Promise<boolean> {
  if (await postgresReachable()) return false;
  if (process.env["REQUIRE_POSTGRES"] === "1") throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL is not reachable at ${POSTGRES_URL}`);
  console.warn(`skipping ${what}: no PostgreSQL at ${POSTGRES_URL} (set REQUIRE_POSTGRES=1 to fail instead)`);
  return true;
}

/** A table name no other test run uses. */
export function uniqueTable(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
