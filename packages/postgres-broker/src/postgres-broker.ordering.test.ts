import { describe, expect, test } from "vitest";
import { createRecorder, openSql, type Recorder, SKIP_POSTGRES, waitFor, withBroker } from "../test/support/postgres.ts";
import { comparePostgresEventIds } from "./event-id.ts";

const CONNECTIONS = 8;
const TRANSACTIONS = 50;
const TOPICS = ["a", "b/1", "b/2", "c"];

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe("PostgresBroker ordering", () => {
  test.skipIf(SKIP_POSTGRES)(
    "delivers every committed event exactly once in id order, live and on resume, while transactions commit out of order",
    async () => {
      const sql = openSql(CONNECTIONS + 2);
      try {
        await withBroker(
          async (broker) => {
            const live = createRecorder();
            await broker.subscribe(live.handlers, { topics: ["*"] });
            const committed: string[] = [];
            const rolledBack: string[] = [];
            const resumed: { from: string; recorder: Recorder }[] = [];
            let publishing = true;
            const publisher = async (connection: number): Promise<void> => {
              for (let index = 0; index < TRANSACTIONS; index += 1) {
                const ids: string[] = [];
                const rollback = Math.random() < 0.2;
                try {
                  await sql.begin(async (tx) => {
                    const count = 1 + Math.floor(Math.random() * 2);
                    for (let event = 0; event < count; event += 1) {
                      const topics = [TOPICS[Math.floor(Math.random() * TOPICS.length)] as string];
                      if (Math.random() < 0.3) topics.push(TOPICS[Math.floor(Math.random() * TOPICS.length)] as string);
                      ids.push((await broker.publish({ topics, data: `${connection}/${index}/${event}` }, { tx })).id);
                    }
                    // Random delays before COMMIT: ids are handed out in one order and committed in another.
                    await pause(Math.random() * 20);
                    if (rollback) throw new Error("rollback");
                  });
                  committed.push(...ids);
                } catch (error) {
                  if (!rollback) throw error;
                  rolledBack.push(...ids);
                }
              }
            };
            // Resumes from random cursors the live subscriber got, while the publishers run.
            const resumer = (async (): Promise<void> => {
              while (publishing) {
                await pause(25);
                const seen = live.ids();
                const from = seen[Math.floor(Math.random() * seen.length)];
                if (from === undefined) continue;
                const recorder = createRecorder();
                await broker.subscribe(recorder.handlers, { topics: ["a", "b/*", "c"], lastEventId: from });
                resumed.push({ from, recorder });
              }
            })();
            await Promise.all(Array.from({ length: CONNECTIONS }, (_, connection) => publisher(connection)));
            publishing = false;
            await resumer;
            const expected = [...committed].sort(comparePostgresEventIds);
            await waitFor("every committed event live", () => live.events.length >= expected.length, 20_000);
            expect(live.ids()).toEqual(expected);
            expect(live.ids().filter((id) => rolledBack.includes(id))).toEqual([]);
            expect(rolledBack.length).toBeGreaterThan(0);
            expect(resumed.length).toBeGreaterThan(3);
            for (const { from, recorder } of resumed) {
              const after = expected.filter((id) => comparePostgresEventIds(id, from) > 0);
              await waitFor(`the resume from ${from}`, () => recorder.events.length >= after.length);
              expect(recorder.gaps).toEqual([]);
              expect(recorder.ids()).toEqual(after);
            }
            // Resumes after the fact, from random cursors, replay exactly the rest.
            for (let round = 0; round < 10; round += 1) {
              const from = expected[Math.floor(Math.random() * expected.length)] as string;
              const recorder = createRecorder();
              await broker.subscribe(recorder.handlers, { topics: ["*"], lastEventId: from });
              expect(recorder.ids()).toEqual(expected.filter((id) => comparePostgresEventIds(id, from) > 0));
            }
          },
          { sql, historySize: 10_000 },
        );
      } finally {
        await sql.end({ timeout: 1 });
      }
    },
    60_000,
  );
});
