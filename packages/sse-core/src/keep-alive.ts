import { encodeComment } from "./encode.ts";
import { positiveInteger } from "./options.ts";

/** Writes one keepalive frame to one stream. */
export type KeepAliveWrite = (frame: Uint8Array) => void;

/** One timer writing a keepalive comment to every open stream. */
export interface KeepAliveHub {
  /** Registers a stream's writer; returns the function that removes it (idempotent). */
  add(write: KeepAliveWrite): () => void;
  /** How many writers are registered. */
  readonly size: number;
  /** Stops the timer and drops every writer; later `add` calls register nothing. */
  close(): void;
}

/** Options of {@link createKeepAliveHub}. */
export interface KeepAliveHubOptions {
  /** Time between two keepalive comments, in milliseconds. Positive integer. @default 15000 (ms) */
  readonly intervalMs?: number | undefined;
  /** The comment text (`: keepalive\n` on the wire). @default "keepalive" */
  readonly comment?: string | undefined;
  /** Timer to use, injectable for tests. @default globalThis.setInterval */
  readonly setInterval?: ((callback: () => void, ms: number) => unknown) | undefined;
  /** Cancels a timer made by `setInterval`. @default globalThis.clearInterval */
  readonly clearInterval?: ((handle: unknown) => void) | undefined;
}

/** Defaults of {@link KeepAliveHubOptions}. */
export const DEFAULT_KEEP_ALIVE_HUB_OPTIONS: Readonly<{ intervalMs: number; comment: string }> = Object.freeze({
  intervalMs: 15_000,
  comment: "keepalive",
});

/**
 * Creates the keepalive hub: ONE timer for all streams, started when the first stream is
 * added and stopped when the last is removed. The comment frame is encoded once and the
 * same bytes go to every stream. A writer that throws is removed.
 *
 * @throws {SseError} `INVALID_OPTION` when `intervalMs` is not a positive integer.
 * @example
 * ```ts
 * const hub = createKeepAliveHub({ intervalMs: 15_000 });
 * const stream = createEventStream(broker, { keepAlive: hub });
 * ```
 */
export function createKeepAliveHub(options: KeepAliveHubOptions = {}): KeepAliveHub {
  const intervalMs = positiveInteger("keepalive intervalMs", options.intervalMs, DEFAULT_KEEP_ALIVE_HUB_OPTIONS.intervalMs);
  const frame = new TextEncoder().encode(encodeComment(options.comment ?? DEFAULT_KEEP_ALIVE_HUB_OPTIONS.comment));
  const startTimer = options.setInterval ?? ((callback: () => void, ms: number): unknown => setInterval(callback, ms));
  const stopTimer = options.clearInterval ?? ((handle: unknown): void => clearInterval(handle as number));
  const writers = new Set<KeepAliveWrite>();
  let timer: unknown;
  let running = false;
  let closed = false;

  function tick(): void {
    for (const write of writers) {
      try {
        write(frame);
      } catch {
        // A writer that throws belongs to a stream that is gone: stop writing to it.
        remove(write);
      }
    }
  }

  function remove(write: KeepAliveWrite): void {
    if (!writers.delete(write) || writers.size > 0 || !running) return;
    running = false;
    stopTimer(timer);
    timer = undefined;
  }

  return {
    add(write: KeepAliveWrite): () => void {
      if (closed) return (): void => {};
      // Wrap so the same function added twice is two registrations with their own removal.
      const entry: KeepAliveWrite = (bytes) => write(bytes);
      writers.add(entry);
      if (!running) {
        running = true;
        timer = startTimer(tick, intervalMs);
      }
      return (): void => remove(entry);
    },
    get size(): number {
      return writers.size;
    },
    close(): void {
      closed = true;
      writers.clear();
      if (running) {
        running = false;
        stopTimer(timer);
        timer = undefined;
      }
    },
  };
}
