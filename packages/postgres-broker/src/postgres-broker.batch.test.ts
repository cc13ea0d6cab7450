import { SseError } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { expectConcurrentBatchesInOrder } from "../../sse-core/src/test-support/concurrent-batches.ts";
import { createRecorder, openSql, POSTGRES_URL, SKIP_POSTGRES, waitFor, withBroker, withTable } from "../test/support/postgres.ts";
import { comparePostgresEventIds } from "./event-id.ts";
import { PostgresBroker } from "./postgres-broker.ts";

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

async function rowCount(table: string): Promise<number> {
  const sql = openSql(1);
  try {
    const rows = await sql.unsafe(`select count(*)::int as n from ${table}`);
    return (rows[0] as unknown as { n: number }).n;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

describe("PostgresBroker publishBatch (real PostgreSQL)", () => {
  test.skipIf(SKIP_POSTGRES)("stores a batch in one statement, ids in input order, delivered and replayed in that order", async () => {
    await withBroker(async (broker) => {
      const live = createRecorder();
      const opened = await broker.subscribe(live.handlers, { topics: ["a", "b"] });
      const stored = await broker.publishBatch([
        { topics: ["a"], data: "1" },
        { topics: ["b", "a"], event: "note", data: "2" },
        { topics: ["c"], data: "3" },
        { topics: ["a"], data: "4" },
      ]);
      const ids = stored.map((event) => event.id);
      expect([...ids].sort(comparePostgresEventIds)).toEqual(ids);
      expect(stored.map((event) => [event.event, event.data, event.topics])).toEqual([
        ["message", "1", ["a"]],
        ["note", "2", ["b", "a"]],
        ["message", "3", ["c"]],
        ["message", "4", ["a"]],
      ]);
      await waitFor("three live events", () => live.events.length === 3);
      expect(live.ids()).toEqual([ids[0], ids[1], ids[3]]);
      expect(live.topics).toEqual(["a", "b", "a"]);
      const replay = createRecorder();
      await broker.subscribe(replay.handlers, { topics: ["*"], lastEventId: opened.cursor });
      expect(replay.ids()).toEqual(ids);
      expect(await broker.publishBatch([])).toEqual([]);
    });
  });

  test.skipIf(SKIP_POSTGRES)("stores nothing when one input is invalid (naming its index) or the statement fails", async () => {
    await withBroker(async (broker, table) => {
      const invalid = await rejection(broker.publishBatch([{ topics: ["a"], data: "1" }, { topics: ["a/*"], data: "2" }]));
      expect(invalid).toBeInstanceOf(SseError);
      expect((invalid as SseError).code).toBe("INVALID_TOPIC");
      expect((invalid as SseError).message).toMatch(/^inputs\[1\]: /);
      // PostgreSQL text cannot hold NUL: the third event makes the one statement of the batch fail.
      const failed = await rejection(broker.publishBatch([{ data: "1" }, { data: "2" }, { data: "bad\u0000" }]));
      expect(failed).toBeInstanceOf(SseError);
      expect(await rowCount(table)).toBe(0);
    });
  });

  test.skipIf(SKIP_POSTGRES)("stores a batch in the caller's transaction: delivered after commit, never after a rollback", async () => {
    const sql = openSql(4);
    try {
      await withBroker(
        async (broker, table) => {
          const recorder = createRecorder();
          await broker.subscribe(recorder.handlers);
          await expect(
            sql.begin(async (tx) => {
              await broker.publishBatch([{ data: "r1" }, { data: "r2" }], { tx });
              throw new Error("roll back");
            }),
          ).rejects.toThrow("roll back");
          expect(await rowCount(table)).toBe(0);
          let ids: string[] = [];
          await sql.begin(async (tx) => {
            ids = (await broker.publishBatch([{ data: "c1" }, { data: "c2" }, { data: "c3" }], { tx })).map((event) => event.id);
          });
          await waitFor("the committed batch", () => recorder.events.length === 3);
          expect(recorder.ids()).toEqual(ids);
          expect(recorder.events.map((event) => event.data)).toEqual(["c1", "c2", "c3"]);
        },
        { sql },
      );
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  test.skipIf(SKIP_POSTGRES)("delivers concurrent batches of two nodes to every subscriber once, in id order, each batch unbroken", async () => {
    await withTable(async (table) => {
      const a = new PostgresBroker({ url: POSTGRES_URL, table, pollIntervalMs: 200 });
      const b = new PostgresBroker({ url: POSTGRES_URL, table, pollIntervalMs: 200 });
      try {
        await Promise.all([a.ready(), b.ready()]);
        await expectConcurrentBatchesInOrder(a, b, comparePostgresEventIds);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
});
