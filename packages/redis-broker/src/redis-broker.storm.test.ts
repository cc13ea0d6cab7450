import { describe, expect, test } from "vitest";
import { createRecorder, type Recorder, SKIP_REDIS, waitFor, withBroker } from "../test/support/redis.ts";

const RESUMES = 200;

/** What one resume must get: every id after its cursor, in order, once. */
function after(ids: readonly string[], cursor: string): string[] {
  return ids.slice(ids.indexOf(cursor) + 1);
}

describe("RedisBroker reconnect storm (real Redis)", () => {
  test.skipIf(SKIP_REDIS)(
    "gives each of 200 simultaneous resumes from different cursors exactly its missed events and then the live ones, once, in order",
    async () => {
      await withBroker(async (broker) => {
        const ids: string[] = [];
        for (let index = 0; index < 150; index += 1) ids.push((await broker.publish({ topics: ["orders"], data: `o${index}` })).id);
        const recorders: Recorder[] = Array.from({ length: RESUMES }, createRecorder);
        const cursors = recorders.map((_, index) => ids[(index * 7) % ids.length] as string);
        // Publishes race the storm: each event must come once, by replay or live, never both or neither.
        const racing = (async (): Promise<void> => {
          for (let index = 0; index < 30; index += 1) ids.push((await broker.publish({ topics: ["orders"], data: `r${index}` })).id);
        })();
        const subscriptions = await Promise.all(
          recorders.map((recorder, index) => broker.subscribe(recorder.handlers, { topics: ["orders"], lastEventId: cursors[index] as string })),
        );
        await racing;
        await waitFor("every resume to catch up", () => recorders.every((recorder, index) => recorder.events.length >= after(ids, cursors[index] as string).length));
        for (const [index, recorder] of recorders.entries()) {
          expect(recorder.ids()).toEqual(after(ids, cursors[index] as string));
          expect(recorder.gaps).toEqual([]);
          expect(subscriptions[index]?.cursor).toBe(cursors[index]);
        }
        for (const subscription of subscriptions) subscription.unsubscribe();
      }, 1000);
    },
    30_000,
  );

  test.skipIf(SKIP_REDIS)(
    "merges the topics of a shared read by id for each resume, and keeps other topic sets apart",
    async () => {
      await withBroker(async (broker) => {
        const both: string[] = [];
        const users: string[] = [];
        for (let index = 0; index < 60; index += 1) {
          const topic = index % 3 === 0 ? "orders/1" : `users/${index % 5}`;
          const { id } = await broker.publish({ topics: [topic], data: `e${index}` });
          both.push(id);
          if (topic !== "orders/1") users.push(id);
        }
        const pairs = Array.from({ length: 60 }, (_, index) => ({
          topics: index % 2 === 0 ? ["orders/1", "users/*"] : ["users/*"],
          cursor: both[index % 40] as string,
          recorder: createRecorder(),
        }));
        const subscriptions = await Promise.all(pairs.map(({ topics, cursor, recorder }) => broker.subscribe(recorder.handlers, { topics, lastEventId: cursor })));
        for (const { topics, cursor, recorder } of pairs) {
          const expected = topics.length === 2 ? after(both, cursor) : users.filter((id) => both.indexOf(id) > both.indexOf(cursor));
          expect(recorder.ids()).toEqual(expected);
          expect(recorder.gaps).toEqual([]);
        }
        for (const subscription of subscriptions) subscription.unsubscribe();
      });
    },
    30_000,
  );

  test.skipIf(SKIP_REDIS)(
    "gives each resume of a storm its own gap notice and replay when some cursors are malformed or unknown",
    async () => {
      await withBroker(async (broker) => {
        const ids: string[] = [];
        for (let index = 0; index < 40; index += 1) ids.push((await broker.publish({ data: `m${index}` })).id);
        const cursors = ["0-0", ids[30] as string, "not-an-id", ids[35] as string, "99999999999999-0"];
        const recorders = cursors.map(() => createRecorder());
        await Promise.all(recorders.map((recorder, index) => broker.subscribe(recorder.handlers, { lastEventId: cursors[index] as string })));
        expect(recorders.map((recorder) => recorder.gaps.map((gap) => gap.reason))).toEqual([[], [], ["malformed"], [], ["unknown"]]);
        expect(recorders.map((recorder) => recorder.ids())).toEqual([ids, ids.slice(31), ids, ids.slice(36), ids]);
        expect(recorders.map((recorder) => recorder.openings[0]?.cursor)).toEqual(["0-0", ids[30], "0-0", ids[35], "0-0"]);
      });
    },
    30_000,
  );
});
