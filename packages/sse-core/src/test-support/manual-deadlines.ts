// A deadline scheduler whose clock and timer the test moves (no real timer), for tests of
// streams that end at a deadline (sse-core's, and the server's service tests import it by path).
import { createDeadlineScheduler, type DeadlineScheduler } from "../deadline-scheduler.ts";

/** The scheduler, and `reach(ms)`: moves the clock there and fires the timer set, if any. */
export function createManualDeadlines(): { readonly deadlines: DeadlineScheduler; reach(to: number): void } {
  let time = 0;
  let fire: (() => void) | undefined;
  const deadlines = createDeadlineScheduler({
    now: () => time,
    setTimeout: (callback) => {
      fire = callback;
      return callback;
    },
    clearTimeout: () => {
      fire = undefined;
    },
  });
  return {
    deadlines,
    reach(to: number): void {
      time = to;
      const due = fire;
      fire = undefined;
      due?.();
    },
  };
}
