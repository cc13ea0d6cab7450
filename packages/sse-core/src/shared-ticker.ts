import { positiveInteger } from "./options.ts";

/** One interval timer shared by many callbacks: running only while at least one is registered. */
export interface SharedTicker {
  /** Registers a callback run on every tick; returns the function that removes it (idempotent). */
  add(callback: () => void): () => void;
  /** How many callbacks are registered. */
  readonly size: number;
  /** Stops the timer and drops every callback; later `add` calls register nothing. */
  close(): void;
}

/** Options of {@link createSharedTicker}. */
export interface SharedTickerOptions {
  /** Time between two ticks, in milliseconds. Positive integer. */
  readonly intervalMs: number;
  /** Names the option in an error message, e.g. `"keepalive intervalMs"`. @default "intervalMs" */
  readonly name?: string | undefined;
  /** Timer to use, injectable for tests. @default globalThis.setInterval */
  readonly setInterval?: ((callback: () => void, ms: number) => unknown) | undefined;
  /** Cancels a timer made by `setInterval`. @default globalThis.clearInterval */
  readonly clearInterval?: ((handle: unknown) => void) | undefined;
}

/**
 * One timer for many streams, so per-stream work on a clock (keepalive comments, feeding a
 * replay) costs no timer per client. A callback that throws is removed.
 * @throws {SseError} `INVALID_OPTION` when `intervalMs` is not a positive integer.
 * @example
 * const ticker = createSharedTicker({ intervalMs: 1000 });
 * const remove = ticker.add(() => console.log("tick"));
 */
export function createSharedTicker(options: SharedTickerOptions): SharedTicker {
  const intervalMs = positiveInteger(options.name ?? "intervalMs", options.intervalMs, options.intervalMs);
  const startTimer = options.setInterval ?? ((callback: () => void, ms: number): unknown => setInterval(callback, ms));
  const stopTimer = options.clearInterval ?? ((handle: unknown): void => clearInterval(handle as number));
  const callbacks = new Set<() => void>();
  let timer: unknown;
  let running = false;
  let closed = false;

  function tick(): void {
    for (const callback of callbacks) {
      try {
        callback();
      } catch {
        // A callback that throws belongs to a stream that is gone: stop calling it.
        remove(callback);
      }
    }
  }

  function stop(): void {
    if (!running) return;
    running = false;
    stopTimer(timer);
    timer = undefined;
  }

  function remove(callback: () => void): void {
    if (callbacks.delete(callback) && callbacks.size === 0) stop();
  }

  return {
    add(callback: () => void): () => void {
      if (closed) return (): void => {};
      // Wrap so the same function added twice is two registrations with their own removal.
      const entry = (): void => callback();
      callbacks.add(entry);
      if (!running) {
        running = true;
        timer = startTimer(tick, intervalMs);
      }
      return (): void => remove(entry);
    },
    get size(): number {
      return callbacks.size;
    },
    close(): void {
      closed = true;
      callbacks.clear();
      stop();
    },
  };
}
