/** Whether the tests that need PostgreSQL can run: they skip with a message, or fail under REQUIRE_POSTGRES=1 (CI). */
import { skipWithoutService } from "./service-probe.ts";

/** The PostgreSQL the tests use (trust auth; each test makes tables of its own and drops them). */
export const POSTGRES_URL: string = process.env["POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * True when the PostgreSQL tests of `what` must skip (no PostgreSQL, and not required); throws
 * under REQUIRE_POSTGRES=1 when it is missing, so CI never skips them silently.
 */
export function skipWithoutPostgres(what: string): Promise<boolean> {
  return skipWithoutService({ name: "PostgreSQL", requireVariable: "REQUIRE_POSTGRES", url: POSTGRES_URL, defaultPort: 5432 }, what);
}

/** A table name no other test run uses. */
export function uniqueTable(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
