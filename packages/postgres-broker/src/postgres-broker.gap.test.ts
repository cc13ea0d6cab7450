import { describe, expect, test } from "vitest";
import { createRecorder, openSql, SKIP_POSTGRES, withBroker } from "../test/support/postgres.ts";
import { comparePostgresEventIds } from "./event-id.ts";

async function rowCount(table: string, topic: string): Promise<number> {
  const sql = openSql(1);
  try {
    const [row] = await sql.unsafe(`select count(*)::int as count from ${table} where topic = $1`, [topic]);
    return (row as unknown as { count: number }).count;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function waitForRows(table: string, topic: string, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await rowCount(table, topic)) !== count) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} rows of ${topic} in ${table}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("PostgresBroker history bounds and gaps", () => {
  test.skipIf(SKIP_POSTGRES)("trims each topic to historySize and names only the trimmed topic in a too-old gap", async () => {
    await withBroker(
      async (broker, table) => {
        const a: string[] = [];
        const b: string[] = [];
        for (let index = 0; index < 10; index += 1) {
          a.push((await broker.publish({ topics: ["a"], data: `a${index}` })).id);
          if (index % 5 === 0) b.push((await broker.publish({ topics: ["b/1"], data: `b${index}` })).id);
        }
        await waitForRows(table, "a", 3);
        expect(await rowCount(table, "b/1")).toBe(2);
        const recorder = createRecorder();
        const subscription = await broker.subscribe(recorder.handlers, { topics: ["a", "b/*"], lastEventId: a[0] as string });
        expect(subscription.gap).toEqual({ requestedId: a[0], oldestId: a[7], reason: "too-old", topics: ["a"] });
        expect(subscription.cursor).toBe(a[0]);
        expect(recorder.ids()).toEqual([...b, ...a.slice(7)].sort(comparePostgresEventIds));
        // A resume after the trimmed part has no gap.
        const later = createRecorder();
        expect((await broker.subscribe(later.handlers, { topics: ["a"], lastEventId: a[7] as string })).gap).toBeUndefined();
        expect(later.ids()).toEqual(a.slice(8));
      },
      { historySize: 3, trimIntervalMs: 20 },
    );
  });

  test.skipIf(SKIP_POSTGRES)("gives an other-epoch gap after the table is truncated, and a malformed gap for a foreign id", async () => {
    await withBroker(async (broker, table) => {
      const old = await broker.publish({ data: "old" });
      const sql = openSql(1);
      try {
        await sql.unsafe(`truncate ${table}`);
      } finally {
        await sql.end({ timeout: 1 });
      }
      const fresh = await broker.publish({ data: "new" });
      expect(fresh.id.split("-")[0]).not.toBe(old.id.split("-")[0]);
      const recorder = createRecorder();
      const subscription = await broker.subscribe(recorder.handlers, { lastEventId: old.id });
      expect(subscription.gap).toEqual({ requestedId: old.id, oldestId: fresh.id, reason: "other-epoch", topics: ["events"] });
      expect(subscription.cursor).toMatch(/-0-0$/);
      expect(recorder.ids()).toEqual([fresh.id]);
      const foreign = createRecorder();
      const other = await broker.subscribe(foreign.handlers, { lastEventId: "1700000000000-0" });
      expect(other.gap).toMatchObject({ reason: "malformed", topics: ["events"] });
      expect(foreign.ids()).toEqual([fresh.id]);
    });
  });

  test.skipIf(SKIP_POSTGRES)("deletes events past historyTtlMs and reports them lost", async () => {
    await withBroker(
      async (broker, table) => {
        const first = await broker.publish({ data: "first" });
        await waitForRows(table, "events", 0);
        const next = await broker.publish({ data: "next" });
        const recorder = createRecorder();
        const subscription = await broker.subscribe(recorder.handlers, { lastEventId: first.id });
        expect(subscription.gap).toBeUndefined();
        expect(recorder.ids()).toEqual([next.id]);
        const before = createRecorder();
        const origin = first.id.replace(/-\d+-\d+$/, "-0-0");
        await broker.subscribe(before.handlers, { lastEventId: origin });
        expect(before.gaps).toMatchObject([{ reason: "too-old", topics: ["events"] }]);
      },
      { historyTtlMs: 50, trimIntervalMs: 20 },
    );
  });

  test.skipIf(SKIP_POSTGRES)("evicts the least recently published topics past maxRetainedTopics", async () => {
    await withBroker(
      async (broker, table) => {
        const old = await broker.publish({ topics: ["old"], data: "x" });
        // The trimmer learns topics as they come: let it list "old" before the others.
        await waitForRows(`${table}_topics`, "old", 1);
        for (const topic of ["t1", "t2"]) await broker.publish({ topics: [topic], data: topic });
        await waitForRows(table, "old", 0);
        const recorder = createRecorder();
        const subscription = await broker.subscribe(recorder.handlers, { topics: ["old"], lastEventId: old.id.replace(/-\d+-\d+$/, "-0-0") });
        expect(subscription.gap).toMatchObject({ reason: "too-old", topics: ["old"] });
        expect(await rowCount(table, "t1")).toBe(1);
      },
      { maxRetainedTopics: 2, trimIntervalMs: 20 },
    );
  });
});
