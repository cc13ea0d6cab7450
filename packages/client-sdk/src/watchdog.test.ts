import { describe, expect, test } from "vitest";
import { FakeClock } from "./test-support/fake-clock.ts";
import { createWatchdog } from "./watchdog.ts";

function setup(): { clock: FakeClock; timeouts: number[]; watchdog: ReturnType<typeof createWatchdog> } {
  const clock = new FakeClock({ auto: false });
  const timeouts: number[] = [];
  const watchdog = createWatchdog({ timeoutMs: 1000, timers: clock, now: clock.now, onTimeout: () => timeouts.push(clock.nowMs) });
  return { clock, timeouts, watchdog };
}

describe("createWatchdog", () => {
  test("calls onTimeout after the timeout of silence", async () => {
    const { clock, timeouts, watchdog } = setup();
    const start = clock.nowMs;
    watchdog.start();
    await clock.advance(999);
    expect(timeouts).toEqual([]);
    await clock.advance(1);
    expect(timeouts).toEqual([start + 1000]);
  });

  test("counts silence from the last touch", async () => {
    const { clock, timeouts, watchdog } = setup();
    const start = clock.nowMs;
    watchdog.start();
    await clock.advance(600);
    watchdog.touch();
    await clock.advance(900);
    expect(timeouts).toEqual([]);
    await clock.advance(200);
    expect(timeouts).toEqual([start + 1600]);
  });

  test("arms no timer on touch: many touches, one timer", async () => {
    const { clock, watchdog } = setup();
    watchdog.start();
    for (let index = 0; index < 1000; index += 1) watchdog.touch();
    expect(clock.requestedDelays).toEqual([1000]);
    await clock.advance(500);
    watchdog.touch();
    await clock.advance(500);
    expect(clock.requestedDelays).toEqual([1000, 500]);
  });

  test("stops and restarts", async () => {
    const { clock, timeouts, watchdog } = setup();
    watchdog.start();
    watchdog.stop();
    await clock.advance(5000);
    expect(timeouts).toEqual([]);
    expect(clock.pendingDelays).toEqual([]);
    watchdog.start();
    watchdog.start();
    expect(clock.pendingDelays).toEqual([1000]);
  });
});
