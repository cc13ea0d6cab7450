import type { Timers } from "./connection-options.ts";

/** Detects silence on a connection: one timer per stream, `touch()` is an assignment. */
export interface Watchdog {
  /** Starts watching (or restarts after a timeout), counting silence from now. */
  start(): void;
  /** Records activity (bytes arrived); cheap enough to call on every chunk. */
  touch(): void;
  /** Stops watching and clears the timer. */
  stop(): void;
}

/** What a {@link Watchdog} needs. */
export interface WatchdogOptions {
  /** Silence longer than this, in milliseconds, calls `onTimeout`. */
  readonly timeoutMs: number;
  /** Called once per silence; call `start()` again to keep watching. */
  readonly onTimeout: () => void;
  readonly timers: Timers;
  readonly now: () => number;
}

/**
 * Creates a {@link Watchdog}. Rather than clearing and re-arming a timer for every chunk,
 * it records the time of the last activity and, when its one timer fires early, re-arms it
 * for the remaining time only.
 *
 * @example
 * ```ts
 * const watchdog = createWatchdog({ timeoutMs: 35_000, onTimeout: () => connection.abort(), timers, now: Date.now });
 * watchdog.start();
 * for await (const chunk of body) watchdog.touch();
 * watchdog.stop();
 * ```
 */
export function createWatchdog(options: WatchdogOptions): Watchdog {
  const { timeoutMs, onTimeout, timers, now } = options;
  let lastActivity = 0;
  let handle: unknown;
  let armed = false;

  const arm = (delayMs: number): void => {
    armed = true;
    handle = timers.setTimeout(check, delayMs);
  };
  function check(): void {
    armed = false;
    const silentMs = now() - lastActivity;
    if (silentMs >= timeoutMs) onTimeout();
    else arm(timeoutMs - silentMs);
  }

  return {
    start(): void {
      lastActivity = now();
      if (!armed) arm(timeoutMs);
    },
    touch(): void {
      lastActivity = now();
    },
    stop(): void {
      if (armed) timers.clearTimeout(handle);
      armed = false;
    },
  };
}
