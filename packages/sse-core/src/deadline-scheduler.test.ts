import { describe, expect, test } from "vitest";
import { createDeadlineScheduler } from "./deadline-scheduler.ts";

/** A clock and a one-shot timer moved by hand. */
function manualClock() {
  let time = 1_000;
  let pending: { callback: () => void; at: number } | undefined;
  const armed: number[] = [];
  return {
    scheduler: createDeadlineScheduler({
      now: () => time,
      setTimeout: (callback, ms) => {
        pending = { callback, at: time + ms };
        armed.push(ms);
        return pending;
      },
      clearTimeout: (handle) => {
        if (pending === handle) pending = undefined;
      },
    }),
    armed,
    get timerPending(): boolean {
      return pending !== undefined;
    },
    /** Moves the clock to `to` and fires the timer when it is due. */
    advanceTo(to: number): void {
      time = to;
      const due = pending;
      if (due !== undefined && due.at <= time) {
        pending = undefined;
        due.callback();
      }
    },
  };
}

describe("createDeadlineScheduler", () => {
  test("runs deadlines in time order, each once, with one timer armed for the soonest", () => {
    const clock = manualClock();
    const ran: string[] = [];
    clock.scheduler.add(3_000, () => ran.push("c"));
    clock.scheduler.add(2_000, () => ran.push("b"));
    clock.scheduler.add(5_000, () => ran.push("d"));
    clock.scheduler.add(1_500, () => ran.push("a"));
    expect(clock.scheduler.size).toBe(4);
    clock.advanceTo(1_800);
    expect(ran).toEqual(["a"]);
    // The timer re-armed for "b" after "a": moving on runs "b" and "c", which are both due.
    clock.advanceTo(3_000);
    expect(ran).toEqual(["a", "b", "c"]);
    clock.advanceTo(10_000);
    expect(ran).toEqual(["a", "b", "c", "d"]);
    expect(clock.scheduler.size).toBe(0);
    expect(clock.timerPending).toBe(false);
  });

  test("a cancelled deadline never runs, and cancelling the soonest re-arms for the next or stops the timer", () => {
    const clock = manualClock();
    const ran: string[] = [];
    const cancelA = clock.scheduler.add(2_000, () => ran.push("a"));
    const cancelB = clock.scheduler.add(4_000, () => ran.push("b"));
    cancelA();
    cancelA();
    expect(clock.scheduler.size).toBe(1);
    expect(clock.armed.at(-1)).toBe(3_000);
    cancelB();
    expect(clock.timerPending).toBe(false);
    clock.advanceTo(10_000);
    expect(ran).toEqual([]);
  });

  test("a deadline already passed runs on the next timer turn; one that throws does not stop the others", () => {
    const clock = manualClock();
    const ran: string[] = [];
    clock.scheduler.add(500, () => {
      throw new Error("gone");
    });
    clock.scheduler.add(900, () => ran.push("late"));
    expect(clock.armed.at(-1)).toBe(0);
    clock.advanceTo(1_000);
    expect(ran).toEqual(["late"]);
  });

  test("a deadline past the longest timer delay re-arms on the way", () => {
    const clock = manualClock();
    const ran: string[] = [];
    const far = 1_000 + 40 * 24 * 3600 * 1000;
    clock.scheduler.add(far, () => ran.push("far"));
    expect(clock.armed.at(-1)).toBe(2_147_483_647);
    clock.advanceTo(1_000 + 2_147_483_647);
    expect(ran).toEqual([]);
    clock.advanceTo(far);
    expect(ran).toEqual(["far"]);
  });

  test("after close nothing runs and add registers nothing", () => {
    const clock = manualClock();
    const ran: string[] = [];
    clock.scheduler.add(2_000, () => ran.push("a"));
    clock.scheduler.close();
    clock.scheduler.add(2_000, () => ran.push("b"));
    clock.advanceTo(3_000);
    expect(ran).toEqual([]);
    expect(clock.scheduler.size).toBe(0);
  });
});
