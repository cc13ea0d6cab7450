/** Test support: the PostgreSQL the Postgres test uses; it skips without one unless REQUIRE_POSTGRES=1 (CI). */
import { connect } from "node:net";

/** Trust auth; the test makes tables of its own and drops them. */
export const POSTGRES_URL: string = process.env["POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

/** True when the test must skip (no PostgreSQL, not required); throws under REQUIRE_POSTGRES=1 when it is missing. */
export async function skipWithoutPostgres(what: string): Promise<boolean> {
  const url = new URL(POSTGRES_URL);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = connect(Number(url.port || 5432), url.hostname);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on("connect", () => done(true));
    socket.on("error", () => done(false));
  });
  if (reachable) return false;
  if (process.env["REQUIRE_POSTGRES"] === "1") throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL is not reachable at ${POSTGRES_URL}`);
  console.warn(`skipping ${what}: no PostgreSQL at ${POSTGRES_URL} (set REQUIRE_POSTGRES=1 to fail instead)`);
  return true;
}
