import { describe, expect, test } from "vitest";
import { createRecorder, openSql, POSTGRES_URL, SKIP_POSTGRES, waitFor, withBroker, withTable } from "../test/support/postgres.ts";
import { comparePostgresEventIds } from "./event-id.ts";
import { PostgresBroker } from "./postgres-broker.ts";

const decoder = new TextDecoder();

describe("PostgresBroker (real PostgreSQL)", () => {
  test.skipIf(SKIP_POSTGRES)("creates its schema idempotently, twice and from two brokers at once", async () => {
    await withTable(async (table) => {
      const a = new PostgresBroker({ url: POSTGRES_URL, table });
      const b = new PostgresBroker({ url: POSTGRES_URL, table });
      try {
        await Promise.all([a.ready(), b.ready()]);
        await a.ready();
        const stored = await b.publish({ data: "x" });
        expect(stored.id).toMatch(/^[0-9a-f]{10}-\d+-\d+$/);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });

  test.skipIf(SKIP_POSTGRES)("delivers published events to a subscriber in order, with the published ids", async () => {
    await withBroker(async (broker) => {
      const recorder = createRecorder();
      const subscription = await broker.subscribe(recorder.handlers);
      expect(subscription.cursor).toMatch(/-0-0$/);
      const published: string[] = [];
      for (let index = 0; index < 20; index += 1) published.push((await broker.publish({ data: `m${index}` })).id);
      await waitFor("20 live events", () => recorder.events.length === 20);
      expect(recorder.ids()).toEqual(published);
      expect([...published].sort(comparePostgresEventIds)).toEqual(published);
      expect(decoder.decode(recorder.events[0]?.frame)).toBe(`id: ${published[0]}\ndata: m0\n\n`);
      expect(recorder.gaps).toEqual([]);
    });
  });

  test.skipIf(SKIP_POSTGRES)("starts a fresh subscription at the newest id and replays after a Last-Event-ID", async () => {
    await withBroker(async (broker) => {
      const ids: string[] = [];
      for (let index = 0; index < 5; index += 1) ids.push((await broker.publish({ event: "note", data: `m${index}` })).id);
      const fresh = createRecorder();
      expect((await broker.subscribe(fresh.handlers)).cursor).toBe(ids[4]);
      const resumed = createRecorder();
      const subscription = await broker.subscribe(resumed.handlers, { lastEventId: ids[1] as string });
      expect(subscription).toMatchObject({ gap: undefined, cursor: ids[1], replayed: 3 });
      expect(resumed.ids()).toEqual(ids.slice(2));
      const live = await broker.publish({ data: "live" });
      await waitFor("the live event", () => resumed.events.length === 4 && fresh.events.length === 1);
      expect(resumed.ids()).toEqual([...ids.slice(2), live.id]);
      expect(fresh.ids()).toEqual([live.id]);
    });
  });

  test.skipIf(SKIP_POSTGRES)("delivers an event published in a transaction only after it commits, never after a rollback", async () => {
    const sql = openSql(4);
    try {
      await withBroker(
        async (broker) => {
          const recorder = createRecorder();
          await broker.subscribe(recorder.handlers);
          let release: () => void = () => undefined;
          const held = new Promise<void>((resolve) => {
            release = resolve;
          });
          let committedId = "";
          const transaction = sql.begin(async (tx) => {
            committedId = (await broker.publish({ data: "committed" }, { tx })).id;
            await held;
          });
          await waitFor("the publish inside the transaction", () => committedId !== "");
          const outside = await broker.publish({ data: "outside" });
          // The open transaction holds back the later, committed event too: a fresh subscriber's
          // cursor (the newest final event) is still before both.
          const during = await broker.subscribe(createRecorder().handlers);
          expect(during.cursor).toBe(recorder.openings[0]?.cursor);
          expect(recorder.events).toEqual([]);
          release();
          await transaction;
          await waitFor("both events", () => recorder.events.length === 2);
          expect(recorder.ids()).toEqual([committedId, outside.id]);

          await expect(
            sql.begin(async (tx) => {
              await broker.publish({ data: "rolled back" }, { tx });
              throw new Error("roll back");
            }),
          ).rejects.toThrow("roll back");
          const after = await broker.publish({ data: "after" });
          await waitFor("the event after the rollback", () => recorder.events.length === 3);
          expect(recorder.events.map((event) => event.data)).toEqual(["committed", "outside", "after"]);
          expect(recorder.ids()[2]).toBe(after.id);
          const replay = createRecorder();
          await broker.subscribe(replay.handlers, { lastEventId: recorder.openings[0]?.cursor as string });
          expect(replay.events.map((event) => event.data)).toEqual(["committed", "outside", "after"]);
        },
        { sql },
      );
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
