/**
 * Test helpers for a real PostgreSQL: availability (skip, or fail under REQUIRE_POSTGRES=1), one
 * table per test (random name, dropped afterwards), subscribers that record what they get, and
 * bounded waits on conditions.
 */
import postgres from "postgres";
import type { PostgresBrokerOptions } from "../../src/options.ts";
import { PostgresBroker } from "../../src/postgres-broker.ts";

export { createRecorder, type Recorder, waitFor } from "../../../sse-core/src/test-support/recorder.ts";

/** The PostgreSQL the tests use (trust auth, database `test`). */
export const POSTGRES_URL: string = process.env["POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

/** CI sets REQUIRE_POSTGRES=1: then a missing PostgreSQL fails the tests instead of skipping them. */
export const POSTGRES_REQUIRED: boolean = process.env["REQUIRE_POSTGRES"] === "1";

async function ping(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => undefined });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 0 }).catch(() => undefined);
  }
}

/** Whether `select 1` answers at {@link POSTGRES_URL}. */
export const POSTGRES_AVAILABLE: boolean = await ping(POSTGRES_URL);

/** True when PostgreSQL tests must be skipped (not reachable, and not required). */
export const SKIP_POSTGRES: boolean = !POSTGRES_AVAILABLE && !POSTGRES_REQUIRED;

if (SKIP_POSTGRES) {
  console.warn(`[postgres-broker] skipping PostgreSQL tests: nothing answers at ${POSTGRES_URL} (set POSTGRES_URL, or REQUIRE_POSTGRES=1 to fail instead)`);
}

/** Opens a pool on the test database (end it afterwards). */
export function openSql(max = 10): postgres.Sql {
  return postgres(POSTGRES_URL, { max, onnotice: () => undefined });
}

/** A table name no other test uses. */
export function uniqueTable(): string {
  return `test_events_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

/** Drops a table and its companions. */
export async function dropTable(table: string): Promise<void> {
  const sql = openSql(1);
  try {
    await sql.unsafe(`drop table if exists ${table}, ${table}_meta, ${table}_topics, ${table}_idempotency cascade`);
    await sql.unsafe(`drop sequence if exists ${table}_seq`);
    await sql.unsafe(`drop function if exists ${table}_new_epoch() cascade`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Runs `body` with a table no other test uses, dropped afterwards. */
export async function withTable<T>(body: (table: string) => Promise<T>): Promise<T> {
  const table = uniqueTable();
  try {
    return await body(table);
  } finally {
    await dropTable(table).catch(() => undefined);
  }
}

/** Runs `body` with a ready PostgresBroker on a fresh table, closed afterwards. */
export async function withBroker(
  body: (broker: PostgresBroker, table: string) => Promise<void>,
  options: Omit<PostgresBrokerOptions, "table"> = {},
): Promise<void> {
  await withTable(async (table) => {
    const broker = new PostgresBroker({ url: POSTGRES_URL, table, pollIntervalMs: 200, ...options });
    try {
      await broker.ready();
      await body(broker, table);
    } finally {
      await broker.close();
    }
  });
}
