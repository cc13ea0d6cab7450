import { describe, expect, test } from "vitest";
import { createRecorder, openSql, SKIP_POSTGRES, waitFor, withTable } from "../test/support/postgres.ts";
import type { PostgresBrokerOptions } from "./options.ts";
import { PostgresBroker } from "./postgres-broker.ts";

/** A ready broker on a fresh table; its keys table is dropped with it. */
async function withKeyedBroker(
  body: (broker: PostgresBroker, table: string, sql: ReturnType<typeof openSql>) => Promise<void>,
  options: Omit<PostgresBrokerOptions, "table" | "sql"> = {},
): Promise<void> {
  await withTable(async (table) => {
    const sql = openSql(8);
    const broker = new PostgresBroker({ sql, table, pollIntervalMs: 200, ...options });
    try {
      await broker.ready();
      await body(broker, table, sql);
    } finally {
      await broker.close();
      await sql.unsafe(`drop table if exists ${table}_idempotency`).catch(() => undefined);
      await sql.end({ timeout: 1 });
    }
  });
}

/** Resolves once `table` holds `expected` rows; fails after 10 s. */
async function untilCount(sql: ReturnType<typeof openSql>, table: string, expected: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  let rows = await count(sql, table);
  while (rows !== expected) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expected} rows in ${table} (has ${rows})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    rows = await count(sql, table);
  }
}

async function count(sql: ReturnType<typeof openSql>, table: string): Promise<number> {
  const [row] = await sql.unsafe(`select count(*)::int as n from ${table}`);
  return (row as unknown as { n: number }).n;
}

describe("PostgresBroker idempotencyKey (real PostgreSQL)", () => {
  test.skipIf(SKIP_POSTGRES)("stores and delivers each of 200 keys once when every publish is sent twice at once", async () => {
    await withKeyedBroker(async (broker, table, sql) => {
      const recorder = createRecorder();
      await broker.subscribe(recorder.handlers);
      const pairs = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          Promise.all([
            broker.publish({ data: `a${index}`, idempotencyKey: `k${index}` }),
            broker.publish({ data: `b${index}`, idempotencyKey: `k${index}` }),
          ]),
        ),
      );
      for (const [first, second] of pairs) {
        expect(second.id).toBe(first.id);
        expect(second.data).toBe(first.data);
      }
      expect(await count(sql, table)).toBe(200);
      expect(await count(sql, `${table}_idempotency`)).toBe(200);
      await waitFor("200 events", () => recorder.events.length >= 200);
      await broker.publish({ data: "last" });
      await waitFor("the last event", () => recorder.events.length >= 201);
      const ids = recorder.ids().slice(0, 200);
      expect(new Set(ids).size).toBe(200);
      expect(new Set(ids)).toEqual(new Set(pairs.map(([first]) => first.id)));
      expect(recorder.events[200]?.data).toBe("last");
    });
  });

  test.skipIf(SKIP_POSTGRES)("adds the keys table to a history created before it, at start-up", async () => {
    await withKeyedBroker(async (_broker, table, sql) => {
      // A history of the previous schema: everything but the keys table.
      await sql.unsafe(`drop table ${table}_idempotency`);
      const upgraded = new PostgresBroker({ sql, table });
      try {
        await upgraded.ready();
        const first = await upgraded.publish({ data: "x", idempotencyKey: "k" });
        expect((await upgraded.publish({ data: "y", idempotencyKey: "k" })).id).toBe(first.id);
        expect(await count(sql, table)).toBe(1);
      } finally {
        await upgraded.close();
      }
    });
  });

  test.skipIf(SKIP_POSTGRES)("answers a repeat after the commit with the first event, its fields from history while held", async () => {
    await withKeyedBroker(
      async (broker, table, sql) => {
        const first = await broker.publish({ topics: ["a"], event: "one", data: "first", idempotencyKey: "order-1" });
        const repeat = await broker.publish({ topics: ["a"], event: "two", data: "second", idempotencyKey: "order-1" });
        expect(repeat).toMatchObject({ id: first.id, event: "one", data: "first" });
        expect(await count(sql, table)).toBe(1);
        // Once history no longer holds it (deleted, as trimming does): the first id with this input's fields.
        await sql.unsafe(`delete from ${table} where data = 'first'`);
        const late = await broker.publish({ topics: ["a"], event: "three", data: "third", idempotencyKey: "order-1" });
        expect(late).toMatchObject({ id: first.id, event: "three", data: "third" });
        expect(await count(sql, table)).toBe(0);
      },
    );
  });

  test.skipIf(SKIP_POSTGRES)("frees a key whose transaction rolled back, and makes a repeat wait for an open one", async () => {
    await withKeyedBroker(async (broker, _table, sql) => {
      const recorder = createRecorder();
      await broker.subscribe(recorder.handlers);
      await expect(
        sql.begin(async (tx) => {
          await broker.publish({ data: "rolled back", idempotencyKey: "k" }, { tx });
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      const stored = await broker.publish({ data: "stored", idempotencyKey: "k" });
      await waitFor("the stored event", () => recorder.events.length === 1);
      expect(recorder.events[0]).toMatchObject({ id: stored.id, data: "stored" });

      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let inTx = "";
      const transaction = sql.begin(async (tx) => {
        inTx = (await broker.publish({ data: "in tx", idempotencyKey: "t" }, { tx })).id;
        await held;
      });
      await waitFor("the publish inside the transaction", () => inTx !== "");
      let repeat: string | undefined;
      const waiting = broker.publish({ data: "repeat", idempotencyKey: "t" }).then((event) => {
        repeat = event.id;
      });
      const marker = await broker.publish({ data: "marker" });
      expect(marker.id).not.toBe(inTx);
      expect(repeat).toBeUndefined();
      release();
      await transaction;
      await waiting;
      expect(repeat).toBe(inTx);
      await waitFor("the transaction's event and the marker", () => recorder.events.length === 3);
      expect(recorder.events.map((event) => event.data)).toEqual(["stored", "in tx", "marker"]);
    });
  });

  test.skipIf(SKIP_POSTGRES)("stores again after the window, and the trimming job forgets keys past the window and the count", async () => {
    await withKeyedBroker(
      async (broker, table, sql) => {
        const keys = `${table}_idempotency`;
        const first = await broker.publish({ data: "first", idempotencyKey: "w" });
        expect((await broker.publish({ data: "repeat", idempotencyKey: "w" })).id).toBe(first.id);
        // The key's publish 2 s ago, past the 1 s window (no sleep: its time is moved back).
        await sql.unsafe(`update ${keys} set stored_at = stored_at - interval '2 seconds'`);
        const again = await broker.publish({ data: "again", idempotencyKey: "w" });
        expect(again.id).not.toBe(first.id);
        expect(again.data).toBe("again");
        expect(await count(sql, table)).toBe(2);
        expect((await broker.publish({ data: "repeat", idempotencyKey: "w" })).id).toBe(again.id);
        await broker.publish({ data: "other", idempotencyKey: "v" });
        await sql.unsafe(`update ${keys} set stored_at = stored_at - interval '2 seconds' where key = 'w'`);
        await untilCount(sql, keys, 1);
        const rows = await sql.unsafe(`select key from ${keys}`);
        expect(rows.map((row) => (row as unknown as { key: string }).key)).toEqual(["v"]);
      },
      { idempotencyWindowMs: 1000, trimIntervalMs: 20 },
    );
  });

  test.skipIf(SKIP_POSTGRES)("keeps at most maxIdempotencyKeys keys, the newest", async () => {
    await withKeyedBroker(
      async (broker, table, sql) => {
        const keys = `${table}_idempotency`;
        for (let index = 0; index < 20; index += 1) {
          await broker.publish({ data: `m${index}`, idempotencyKey: `c${index}` });
          // A distinct publish time per key (one second apart, oldest first): no sleep.
          await sql.unsafe(`update ${keys} set stored_at = stored_at - make_interval(secs => $1) where key = $2`, [20 - index, `c${index}`]);
        }
        await untilCount(sql, keys, 5);
        const rows = await sql.unsafe(`select key from ${keys} order by key`);
        expect(rows.map((row) => (row as unknown as { key: string }).key)).toEqual(["c15", "c16", "c17", "c18", "c19"]);
        const repeat = await broker.publish({ data: "x", idempotencyKey: "c19" });
        expect(repeat.data).toBe("m19");
      },
      { maxIdempotencyKeys: 5, trimIntervalMs: 20 },
    );
  });
});
