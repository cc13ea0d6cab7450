import { encodeComment } from "./encode.ts";
import { positiveInteger } from "./options.ts";
import { createSharedTicker } from "./shared-ticker.ts";

/** Writes one keepalive frame to one stream. */
export type KeepAliveWrite = (frame: Uint8Array) => void;

/** A stream that takes keepalive frames itself: registered with no closure of its own (see {@link KeepAliveHub.attach}). */
export interface KeepAliveTarget {
  onKeepAlive(frame: Uint8Array): void;
}

/** One timer writing a keepalive comment to every open stream. */
export interface KeepAliveHub {
  /** Registers a stream's writer; returns the function that removes it (idempotent). */
  add(write: KeepAliveWrite): () => void;
  /**
   * Registers a target until {@link detach}: what `add` does, without the closures a
   * registration costs, for a server holding many idle streams (a few hundred bytes each).
   */
  attach(target: KeepAliveTarget): void;
  /** Removes a target (idempotent). */
  detach(target: KeepAliveTarget): void;
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
 * Creates the keepalive hub: ONE timer for all streams ({@link createSharedTicker}), started
 * when the first stream is added and stopped when the last is removed. The comment frame is encoded once and the
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
  const frame = new TextEncoder().encode(encodeComment(options.comment ?? DEFAULT_KEEP_ALIVE_HUB_OPTIONS.comment));
  const ticker = createSharedTicker({
    name: "keepalive intervalMs",
    intervalMs: positiveInteger("keepalive intervalMs", options.intervalMs, DEFAULT_KEEP_ALIVE_HUB_OPTIONS.intervalMs),
    setInterval: options.setInterval,
    clearInterval: options.clearInterval,
  });
  // The ticker holds one callback for the whole hub while any target is attached; targets sit in
  // one Set (no closure per stream).
  const targets = new Set<KeepAliveTarget>();
  let removeTick: (() => void) | undefined;
  let closed = false;
  const tick = (): void => {
    for (const target of targets) {
      try {
        target.onKeepAlive(frame);
      } catch {
        // A target that throws belongs to a stream that is gone: stop writing to it.
        targets.delete(target);
      }
    }
  };
  const detach = (target: KeepAliveTarget): void => {
    if (!targets.delete(target) || targets.size > 0) return;
    removeTick?.();
    removeTick = undefined;
  };
  const attach = (target: KeepAliveTarget): void => {
    if (closed) return;
    targets.add(target);
    removeTick ??= ticker.add(tick);
  };
  return {
    add: (write: KeepAliveWrite): (() => void) => {
      const target: KeepAliveTarget = { onKeepAlive: write };
      attach(target);
      return (): void => detach(target);
    },
    attach,
    detach,
    get size(): number {
      return targets.size;
    },
    close: (): void => {
      closed = true;
      targets.clear();
      removeTick = undefined;
      ticker.close();
    },
  };
}
