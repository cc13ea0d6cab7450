/** One timer for many deadlines (e.g. every stream's token expiry), armed for the soonest only. */
export interface DeadlineScheduler {
  /**
   * Runs `callback` once at `timeMs` (epoch milliseconds, as `Date.now()`), or on the next timer
   * turn when that time has passed. Returns the function that cancels it (idempotent).
   */
  add(timeMs: number, callback: () => void): () => void;
  /** Deadlines still waiting (not run, not cancelled). */
  readonly size: number;
  /** Stops the timer and drops every deadline; later `add` calls register nothing. */
  close(): void;
}

/** Options of {@link createDeadlineScheduler}; injectable for tests. */
export interface DeadlineSchedulerOptions {
  /** The clock, in epoch milliseconds. @default Date.now */
  readonly now?: (() => number) | undefined;
  /** @default globalThis.setTimeout */
  readonly setTimeout?: ((callback: () => void, ms: number) => unknown) | undefined;
  /** @default globalThis.clearTimeout */
  readonly clearTimeout?: ((handle: unknown) => void) | undefined;
}

interface Deadline {
  readonly timeMs: number;
  callback: (() => void) | undefined;
}

/** Timers take at most a signed 32-bit delay; a later deadline re-arms on the way. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * A min-heap of deadlines behind one timer: adding or cancelling one is O(log n) and no stream
 * holds a timer of its own. A callback that throws is dropped; the others still run.
 * @example
 * const deadlines = createDeadlineScheduler();
 * const cancel = deadlines.add(tokenExpiresAtMs, () => stream.end());
 */
export function createDeadlineScheduler(options: DeadlineSchedulerOptions = {}): DeadlineScheduler {
  const now = options.now ?? Date.now;
  const startTimer = options.setTimeout ?? ((callback: () => void, ms: number): unknown => setTimeout(callback, ms));
  const stopTimer = options.clearTimeout ?? ((handle: unknown): void => clearTimeout(handle as number));
  const heap: Deadline[] = [];
  let timer: unknown;
  /** When the armed timer fires; `Infinity` when none is armed. */
  let armedFor = Number.POSITIVE_INFINITY;
  let closed = false;
  /** Deadlines neither run nor cancelled (the heap also holds cancelled ones until they surface). */
  let waiting = 0;

  function swap(a: number, b: number): void {
    const held = heap[a] as Deadline;
    heap[a] = heap[b] as Deadline;
    heap[b] = held;
  }

  function push(deadline: Deadline): void {
    heap.push(deadline);
    let at = heap.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if ((heap[parent] as Deadline).timeMs <= deadline.timeMs) break;
      swap(at, parent);
      at = parent;
    }
  }

  function pop(): Deadline | undefined {
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let smallest = at;
      if (left < heap.length && (heap[left] as Deadline).timeMs < (heap[smallest] as Deadline).timeMs) smallest = left;
      if (right < heap.length && (heap[right] as Deadline).timeMs < (heap[smallest] as Deadline).timeMs) smallest = right;
      if (smallest === at) return top;
      swap(at, smallest);
      at = smallest;
    }
  }

  function arm(): void {
    // Cancelled deadlines at the top would only wake the timer for nothing.
    while (heap.length > 0 && (heap[0] as Deadline).callback === undefined) pop();
    const next = heap[0];
    if (next === undefined) {
      disarm();
      return;
    }
    if (next.timeMs >= armedFor) return;
    disarm();
    armedFor = next.timeMs;
    timer = startTimer(fire, Math.min(MAX_TIMER_MS, Math.max(0, next.timeMs - now())));
  }

  function disarm(): void {
    if (armedFor === Number.POSITIVE_INFINITY) return;
    stopTimer(timer);
    timer = undefined;
    armedFor = Number.POSITIVE_INFINITY;
  }

  function fire(): void {
    armedFor = Number.POSITIVE_INFINITY;
    timer = undefined;
    const time = now();
    while (heap.length > 0 && (heap[0] as Deadline).timeMs <= time) {
      const due = pop() as Deadline;
      const callback = due.callback;
      if (callback !== undefined) waiting -= 1;
      due.callback = undefined;
      try {
        callback?.();
      } catch {
        // The callback's owner is gone: nothing else to run for it.
      }
    }
    if (!closed) arm();
  }

  return {
    add(timeMs: number, callback: () => void): () => void {
      if (closed) return (): void => {};
      const deadline: Deadline = { timeMs, callback };
      push(deadline);
      waiting += 1;
      arm();
      return (): void => {
        if (deadline.callback === undefined) return;
        deadline.callback = undefined;
        waiting -= 1;
        // The armed timer was for this one: re-arm for the next, or stop so nothing keeps the process awake.
        if (heap[0] === deadline) {
          disarm();
          arm();
        }
      };
    },
    get size(): number {
      return waiting;
    },
    close(): void {
      closed = true;
      heap.length = 0;
      waiting = 0;
      disarm();
    },
  };
}

let processDeadlines: DeadlineScheduler | undefined;

/** The process's one deadline scheduler, made on first use; its timer runs only while a deadline waits. */
export function sharedDeadlineScheduler(): DeadlineScheduler {
  processDeadlines ??= createDeadlineScheduler();
  return processDeadlines;
}
