import { describe, expect, test } from "vitest";
import { type Flushable, createFlushScheduler } from "./flush-scheduler.ts";

/** A scheduler whose turns the test runs by hand. */
function manualScheduler() {
  const turns: Array<() => void> = [];
  const scheduler = createFlushScheduler({ schedule: (run) => void turns.push(run) });
  return {
    scheduler,
    turns,
    runTurn(): void {
      turns.shift()?.();
    },
  };
}

describe("createFlushScheduler", () => {
  test("flushes every target asked for in one turn, in the order asked, with one scheduled turn", () => {
    const { scheduler, turns, runTurn } = manualScheduler();
    const flushed: string[] = [];
    const target = (name: string): Flushable => ({ flush: () => void flushed.push(name) });
    scheduler.request(target("a"));
    scheduler.request(target("b"));
    scheduler.request(target("c"));
    expect(turns.length).toBe(1);
    expect(scheduler.size).toBe(3);
    expect(flushed).toEqual([]);
    runTurn();
    expect(flushed).toEqual(["a", "b", "c"]);
    expect(scheduler.size).toBe(0);
  });

  test("leaves a target asked for during a turn to the next turn", () => {
    const { scheduler, turns, runTurn } = manualScheduler();
    const flushed: string[] = [];
    const late: Flushable = { flush: () => void flushed.push("late") };
    scheduler.request({
      flush: () => {
        flushed.push("first");
        scheduler.request(late);
      },
    });
    runTurn();
    expect(flushed).toEqual(["first"]);
    expect(turns.length).toBe(1);
    runTurn();
    expect(flushed).toEqual(["first", "late"]);
  });

  test("flushes the other targets when one throws", () => {
    const { scheduler, runTurn } = manualScheduler();
    const flushed: string[] = [];
    scheduler.request({ flush: () => void flushed.push("before") });
    scheduler.request({
      flush: () => {
        throw new TypeError("stream closed");
      },
    });
    scheduler.request({ flush: () => void flushed.push("after") });
    runTurn();
    expect(flushed).toEqual(["before", "after"]);
  });

  test("runs the batch by itself with the default schedule", async () => {
    const scheduler = createFlushScheduler();
    const flushed = new Promise<string>((resolve) => scheduler.request({ flush: () => resolve("flushed") }));
    expect(await flushed).toBe("flushed");
  });
});
