import type { Timers } from "../connection-options.ts";

interface PendingTimer {
  readonly at: number;
  readonly delayMs: number;
  readonly callback: () => void;
}

/** A few real macrotask turns: enough for fake fetches and stream reads (microtasks) to settle. */
export async function settle(turns = 3): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await new Promise<void>((resolve) => globalThis.setTimeout(resolve, 0));
}

/** Waits (in real macrotask turns, bounded) until `condition()` holds. */
export async function until(condition: () => boolean, maxTurns = 500): Promise<void> {
  for (let turn = 0; turn < maxTurns; turn += 1) {
    if (condition()) return;
    await settle(1);
  }
  throw new Error(`condition not met: ${condition.toString()}`);
}

/**
 * Simulated time for tests: no test waits for real time to pass. With `auto` (the default),
 * whenever the code under test is idle (a few real macrotask turns went by) the clock jumps
 * to the earliest timer and fires it, like a discrete-event simulation; otherwise call
 * `advance()` / `fireNext()`.
 */
export class FakeClock implements Timers {
  nowMs = 1_000_000;
  /** Every delay ever requested, in order. */
  readonly requestedDelays: number[] = [];
  readonly #timers = new Map<number, PendingTimer>();
  #nextHandle = 1;
  #auto: boolean;
  #driving = false;

  constructor(options: { auto?: boolean } = {}) {
    this.#auto = options.auto ?? true;
  }

  readonly now = (): number => this.nowMs;

  readonly setTimeout = (callback: () => void, delayMs: number): unknown => {
    const handle = this.#nextHandle++;
    this.#timers.set(handle, { at: this.nowMs + delayMs, delayMs, callback });
    this.requestedDelays.push(delayMs);
    if (this.#auto) void this.#drive();
    return handle;
  };

  readonly clearTimeout = (handle: unknown): void => {
    this.#timers.delete(handle as number);
  };

  /** Delays of the timers still pending, earliest first. */
  get pendingDelays(): number[] {
    return [...this.#timers.values()].sort((a, b) => a.at - b.at).map((timer) => timer.delayMs);
  }

  /** Fires the earliest pending timer (moving the clock to it); returns its delay, or undefined when none. */
  async fireNext(): Promise<number | undefined> {
    // Let pending I/O land first: time passes only when the code under test is idle.
    await settle();
    const entry = [...this.#timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
    if (entry === undefined) return undefined;
    const [handle, timer] = entry;
    this.#timers.delete(handle);
    this.nowMs = Math.max(this.nowMs, timer.at);
    timer.callback();
    await settle();
    return timer.delayMs;
  }

  /** Moves the clock forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.nowMs + ms;
    for (;;) {
      const next = [...this.#timers.values()].sort((a, b) => a.at - b.at)[0];
      if (next === undefined || next.at > target) break;
      await this.fireNext();
    }
    this.nowMs = target;
    await settle();
  }


  async #drive(): Promise<void> {
    if (this.#driving) return;
    this.#driving = true;
    try {
      while (this.#timers.size > 0) {
        await settle();
        if (this.#timers.size > 0) await this.fireNext();
      }
    } finally {
      this.#driving = false;
    }
  }
}
