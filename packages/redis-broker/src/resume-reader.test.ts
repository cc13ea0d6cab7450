import { resolveSubscribeTopics, type SubscribedTopic } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { type ReadHistory, ResumeReader } from "./resume-reader.ts";
import type { ResumeSnapshot } from "./resume-script.ts";
import { MISSING_STREAM } from "./stream-info.ts";
import type { RawEntry } from "./stream-reader.ts";

const ORDERS = resolveSubscribeTopics(["orders"]);
const USERS = resolveSubscribeTopics(["users/*"]);

function entry(n: number): RawEntry {
  return [`100-${n}`, ["data", `e${n}`]];
}

/** A fake history of `count` entries (`100-1` … `100-<count>`) whose reads are answered when the test says so. */
function fakeHistory(count: number): {
  read: ReadHistory;
  calls: { afterId: string; subscribed: readonly SubscribedTopic[] }[];
  answer(index: number): void;
  fail(index: number, error: Error): void;
} {
  const all = Array.from({ length: count }, (_, i) => entry(i + 1));
  const calls: { afterId: string; subscribed: readonly SubscribedTopic[] }[] = [];
  const pending: { resolve(snapshot: ResumeSnapshot): void; reject(error: Error): void }[] = [];
  return {
    calls,
    read: (afterId, subscribed) => {
      calls.push({ afterId, subscribed });
      return new Promise<ResumeSnapshot>((resolve, reject) => pending.push({ resolve, reject }));
    },
    answer: (index) => {
      const { afterId } = calls[index] as { afterId: string };
      const after = afterId === "-" ? 0 : Number(afterId.split("-")[1]);
      const entries = all.filter(([id]) => Number(id.split("-")[1]) > after);
      pending[index]?.resolve({
        now: 1,
        lastId: `100-${count}`,
        firstId: "100-1",
        evictedThroughId: undefined,
        topics: [{ topic: "orders", facts: MISSING_STREAM, forgottenLastId: undefined, entries }],
      });
    },
    fail: (index, error) => pending[index]?.reject(error),
  };
}

const idsOf = (snapshot: ResumeSnapshot): string[] => snapshot.topics.flatMap((topic) => topic.entries.map(([id]) => id));

/** Lets queued microtasks (a batch being sent) run. */
const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe("ResumeReader", () => {
  test("serves concurrent resumes of the same topics with one read from the oldest id, each cut after its own", async () => {
    const history = fakeHistory(10);
    const reader = new ResumeReader(history.read, 1000);
    const reads = ["100-7", "100-2", "100-9", "-", "100-10"].map((afterId) => reader.read(afterId, ORDERS));
    await turn();
    expect(history.calls.map(({ afterId }) => afterId)).toEqual(["-"]);
    history.answer(0);
    const snapshots = await Promise.all(reads);
    expect(snapshots.map(idsOf)).toEqual([
      ["100-8", "100-9", "100-10"],
      ["100-3", "100-4", "100-5", "100-6", "100-7", "100-8", "100-9", "100-10"],
      ["100-10"],
      Array.from({ length: 10 }, (_, i) => `100-${i + 1}`),
      [],
    ]);
    expect(snapshots.every((snapshot) => snapshot.lastId === "100-10" && snapshot.now === 1)).toBe(true);
    expect(reader.pendingTopicSets).toBe(0);
  });

  test("sends a resume that arrives while a read is in flight with the next read, never the one already sent", async () => {
    const history = fakeHistory(5);
    const reader = new ResumeReader(history.read, 1000);
    const first = reader.read("100-3", ORDERS);
    await turn();
    const late = [reader.read("100-1", ORDERS), reader.read("100-4", ORDERS)];
    await turn();
    expect(history.calls).toHaveLength(1);
    history.answer(0);
    expect(idsOf(await first)).toEqual(["100-4", "100-5"]);
    await turn();
    expect(history.calls.map(({ afterId }) => afterId)).toEqual(["100-3", "100-1"]);
    history.answer(1);
    expect((await Promise.all(late)).map(idsOf)).toEqual([["100-2", "100-3", "100-4", "100-5"], ["100-5"]]);
  });

  test("reads different topic sets separately and at once", async () => {
    const history = fakeHistory(3);
    const reader = new ResumeReader(history.read, 1000);
    const orders = reader.read("100-1", ORDERS);
    const users = reader.read("100-2", USERS);
    await turn();
    expect(history.calls.map(({ afterId, subscribed }) => [afterId, subscribed[0]?.text])).toEqual([
      ["100-1", "orders"],
      ["100-2", "users/*"],
    ]);
    history.answer(0);
    history.answer(1);
    expect(idsOf(await orders)).toEqual(["100-2", "100-3"]);
    expect(idsOf(await users)).toEqual(["100-3"]);
  });

  test("splits a batch past maxResumesPerRead into reads one after another", async () => {
    const history = fakeHistory(4);
    const reader = new ResumeReader(history.read, 2);
    const reads = ["100-1", "100-2", "100-3"].map((afterId) => reader.read(afterId, ORDERS));
    await turn();
    expect(history.calls.map(({ afterId }) => afterId)).toEqual(["100-1"]);
    history.answer(0);
    await turn();
    expect(history.calls.map(({ afterId }) => afterId)).toEqual(["100-1", "100-3"]);
    history.answer(1);
    expect((await Promise.all(reads)).map(idsOf)).toEqual([["100-2", "100-3", "100-4"], ["100-3", "100-4"], ["100-4"]]);
  });

  test("fails only the resumes of a failed read, and serves the next batch", async () => {
    const history = fakeHistory(2);
    const reader = new ResumeReader(history.read, 1000);
    const failed = Promise.allSettled([reader.read("100-1", ORDERS), reader.read("-", ORDERS)]);
    await turn();
    const next = reader.read("100-1", ORDERS);
    history.fail(0, new Error("Command timed out"));
    expect((await failed).map((result) => (result.status === "rejected" ? String(result.reason) : "served"))).toEqual([
      "Error: Command timed out",
      "Error: Command timed out",
    ]);
    await turn();
    history.answer(1);
    expect(idsOf(await next)).toEqual(["100-2"]);
  });
});
