import { describe, expect, test } from "vitest";
import { comparePostgresEventIds, parsePostgresEventId } from "./event-id.ts";
import { DEFAULT_POSTGRES_BROKER_OPTIONS, resolvePostgresBrokerOptions } from "./options.ts";

describe("resolvePostgresBrokerOptions", () => {
  test("fills in the defaults around a url", () => {
    const options = resolvePostgresBrokerOptions({ url: "postgres://app@db:5432/app" });
    expect(options).toMatchObject({ ...DEFAULT_POSTGRES_BROKER_OPTIONS, url: "postgres://app@db:5432/app", sql: undefined });
  });

  test("requires url or sql, and rejects a url of another scheme", () => {
    expect(() => resolvePostgresBrokerOptions({})).toThrow(/url or sql is required/);
    expect(() => resolvePostgresBrokerOptions({ url: "redis://127.0.0.1" })).toThrow(/postgres:\/\//);
  });

  test("rejects a table name that is not a plain lower-case SQL name", () => {
    for (const table of ["Events", "events; drop table x", "a.b.c", ""]) {
      expect(() => resolvePostgresBrokerOptions({ url: "postgres://x@y/z", table })).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
    }
    expect(resolvePostgresBrokerOptions({ url: "postgres://x@y/z", table: "app.events_history" }).table).toBe("app.events_history");
  });

  test("rejects counts and durations that are not positive integers", () => {
    expect(() => resolvePostgresBrokerOptions({ url: "postgres://x@y/z", historySize: 0 })).toThrow(/historySize/);
    expect(() => resolvePostgresBrokerOptions({ url: "postgres://x@y/z", historyTtlMs: -1 })).toThrow(/historyTtlMs/);
    expect(resolvePostgresBrokerOptions({ url: "postgres://x@y/z", historyTtlMs: false }).historyTtlMs).toBe(false);
    expect(() => resolvePostgresBrokerOptions({ url: "postgres://x@y/z", idempotencyWindowMs: 0 })).toThrow(/idempotencyWindowMs/);
    expect(() => resolvePostgresBrokerOptions({ url: "postgres://x@y/z", maxIdempotencyKeys: 1.5 })).toThrow(/maxIdempotencyKeys/);
    expect(resolvePostgresBrokerOptions({ url: "postgres://x@y/z" })).toMatchObject({ idempotencyWindowMs: 600_000, maxIdempotencyKeys: 100_000 });
  });
});

describe("Postgres broker event ids", () => {
  test("orders ids by transaction id, then sequence, as numbers", () => {
    expect(["e1-10-3", "e1-9-12", "e1-10-12", "e1-10-4"].sort(comparePostgresEventIds)).toEqual(["e1-9-12", "e1-10-3", "e1-10-4", "e1-10-12"]);
  });

  test("parses its own ids and nothing else", () => {
    expect(parsePostgresEventId("abc123-42-7")).toEqual({ epoch: "abc123", txid: 42n, seq: 7n });
    for (const id of ["", "1700000000000-0", "abc-01-2", "ABC-1-2", "abc-1-2-3"]) expect(parsePostgresEventId(id)).toBeUndefined();
  });
});
