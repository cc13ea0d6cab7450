/** Something with writes held back until {@link FlushScheduler} runs it (a client's event stream). */
export interface Flushable {
  /** Hands what was held back to its destination. Called once per request. */
  flush(): void;
}

/**
 * One process-wide turn that flushes every stream written to since the last one, so a client
 * that gets several events in one turn of the event loop gets them in one chunk (one socket
 * write) instead of one each, with no timer per client.
 */
export interface FlushScheduler {
  /**
   * Runs `target.flush()` in the scheduler's next turn. The caller asks once per batch (it
   * keeps its own "requested" flag): a target asked for twice is flushed twice.
   */
  request(target: Flushable): void;
  /** Targets waiting for the next turn. */
  readonly size: number;
}

/** Options of {@link createFlushScheduler}. */
export interface FlushSchedulerOptions {
  /**
   * Runs the flush soon, once per batch. Injectable for tests.
   * @default globalThis.setImmediate where the runtime has it (Bun, Node, Deno: after the
   * I/O callbacks of the current loop turn, so every request read in that turn joins the
   * batch), else `setTimeout(run, 0)`
   */
  readonly schedule?: ((run: () => void) => void) | undefined;
}

type Schedule = (run: () => void) => void;

/** `setImmediate` is not Web-standard: found at run time, with `setTimeout` as the fallback (browsers). */
function defaultSchedule(): Schedule {
  const immediate = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate;
  if (typeof immediate === "function") return (run) => void immediate(run);
  return (run) => void setTimeout(run, 0);
}

/**
 * Creates a {@link FlushScheduler}. A target whose `flush` throws is skipped; the others are
 * still flushed.
 * @example
 * const scheduler = createFlushScheduler();
 * scheduler.request({ flush: () => controller.enqueue(joinedFrames) });
 */
export function createFlushScheduler(options: FlushSchedulerOptions = {}): FlushScheduler {
  const schedule = options.schedule ?? defaultSchedule();
  let waiting: Flushable[] = [];
  let spare: Flushable[] = [];
  let scheduled = false;

  function run(): void {
    scheduled = false;
    const batch = waiting;
    // Targets asking during this run (a flush that writes again) wait for the next turn.
    waiting = spare;
    for (let index = 0; index < batch.length; index++) {
      try {
        (batch[index] as Flushable).flush();
      } catch {
        // A flush that throws belongs to a stream that ended under it: nothing left to write there.
      }
    }
    batch.length = 0;
    spare = batch;
  }

  return {
    request(target: Flushable): void {
      waiting.push(target);
      if (scheduled) return;
      scheduled = true;
      schedule(run);
    },
    get size(): number {
      return waiting.length;
    },
  };
}

let shared: FlushScheduler | undefined;

/** The process's one flush scheduler, made on first use. */
export function sharedFlushScheduler(): FlushScheduler {
  shared ??= createFlushScheduler();
  return shared;
}
