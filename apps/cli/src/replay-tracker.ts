/** An event as the tracker sees it. */
export interface TrackedEvent {
  readonly type: string;
  readonly data: unknown;
}

/**
 * Tells which events of a stream were replayed from history: the server's `connected` event
 * (one per connection, reconnects included) says in `replayed` how many follow it, after
 * the `gap` notice if there is one and before live events.
 */
export class ReplayTracker {
  #left = 0;

  /** Takes the next event in stream order; true when it is a replayed one. */
  next(event: TrackedEvent): boolean {
    if (event.type === "connected") {
      const replayed = typeof event.data === "object" && event.data !== null ? (event.data as { replayed?: unknown }).replayed : undefined;
      this.#left = typeof replayed === "number" && Number.isSafeInteger(replayed) && replayed > 0 ? replayed : 0;
      return false;
    }
    if (event.type === "gap" || this.#left === 0) return false;
    this.#left -= 1;
    return true;
  }
}
