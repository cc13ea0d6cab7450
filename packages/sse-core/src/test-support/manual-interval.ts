// A hand-driven replacement for setInterval/clearInterval, injected into the keepalive hub
// so tests fire ticks explicitly instead of sleeping.

/** Injectable timer functions plus controls to fire and inspect them. */
export interface ManualInterval {
  setInterval: (callback: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
  /** Runs every active timer's callback once. */
  tick(): void;
  /** How many timers are active now. */
  readonly active: number;
  /** How many timers were ever started. */
  readonly started: number;
  /** The interval of the most recently started timer, in ms. */
  readonly lastMs: number | undefined;
}

export function createManualInterval(): ManualInterval {
  const timers = new Map<number, () => void>();
  let nextHandle = 1;
  let started = 0;
  let lastMs: number | undefined;
  return {
    setInterval(callback: () => void, ms: number): unknown {
      const handle = nextHandle++;
      timers.set(handle, callback);
      started += 1;
      lastMs = ms;
      return handle;
    },
    clearInterval(handle: unknown): void {
      timers.delete(handle as number);
    },
    tick(): void {
      for (const callback of [...timers.values()]) callback();
    },
    get active(): number {
      return timers.size;
    },
    get started(): number {
      return started;
    },
    get lastMs(): number | undefined {
      return lastMs;
    },
  };
}
