import postgres from "postgres";
import { describe, expect, test } from "vitest";
import { createRecorder, openSql, POSTGRES_URL, SKIP_POSTGRES, waitFor, withTable } from "../test/support/postgres.ts";
import { PostgresBroker } from "./postgres-broker.ts";

describe("PostgresBroker when PostgreSQL fails", () => {
  test("rejects publish and subscribe with BROKER_UNAVAILABLE, fast, when nothing listens at the URL", async () => {
    const errors: unknown[] = [];
    const broker = new PostgresBroker({ url: "postgres://postgres@127.0.0.1:1/test", connectTimeoutMs: 1000, onError: (error) => errors.push(error) });
    try {
      const started = Date.now();
      await expect(broker.publish({ data: "x" })).rejects.toMatchObject({ name: "SseError", code: "BROKER_UNAVAILABLE" });
      await expect(broker.subscribe(createRecorder().handlers)).rejects.toMatchObject({ code: "BROKER_UNAVAILABLE" });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(broker.health()).toMatchObject({ ok: false });
      expect(broker.health().detail).toMatch(/^postgres: /);
    } finally {
      await broker.close();
    }
  });

  test.skipIf(SKIP_POSTGRES)("recovers from pg_terminate_backend of all its connections and loses nothing", async () => {
    await withTable(async (table) => {
      const name = `events-test-${crypto.randomUUID().slice(0, 8)}`;
      const sql = postgres(POSTGRES_URL, { max: 4, onnotice: () => undefined, connection: { application_name: name } });
      const broker = new PostgresBroker({ sql, table, pollIntervalMs: 200 });
      const admin = openSql(1);
      try {
        const recorder = createRecorder();
        await broker.subscribe(recorder.handlers);
        const published = [(await broker.publish({ data: "before" })).id];
        await waitFor("the first event", () => recorder.events.length === 1);
        const killed = await admin.unsafe("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1", [name]);
        expect(killed.length).toBeGreaterThan(1);
        for (let index = 0; published.length < 6; index += 1) {
          try {
            published.push((await broker.publish({ data: `after${index}` })).id);
          } catch (error) {
            // A publish on a terminated connection fails, and says whether it may have been stored.
            expect(error).toMatchObject({ name: "SseError" });
            expect(["BROKER_UNAVAILABLE", "PUBLISH_UNCONFIRMED"]).toContain((error as { code: string }).code);
          }
        }
        await waitFor("every event published after the termination", () => recorder.events.length >= published.length);
        expect(recorder.ids()).toEqual(published);
        expect(recorder.closes).toBe(0);
        expect(broker.health().ok).toBe(true);
      } finally {
        await broker.close();
        await sql.end({ timeout: 1 });
        await admin.end({ timeout: 1 });
      }
    });
  });
});
