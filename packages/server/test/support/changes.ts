/**
 * Test support: waiting on a condition without polling. Whoever changes what the condition
 * reads calls `notify()` (a stream event arrived, a socket closed); `until` checks again then,
 * and only then, and fails after a bounded time naming what it waited for.
 */

/** Wakes the waiters of a condition each time what it reads may have changed. */
export class Changes {
  readonly #waiters = new Set<() => void>();

  /** Something a waiter may read changed: check every waiting condition again. */
  notify(): void {
    for (const check of [...this.#waiters]) check();
  }

  /**
   * Resolves once `condition()` holds (now, or after a later `notify()`); rejects after
   * `timeoutMs` with `what` in the message.
   */
  until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      const check = (): void => {
        if (!condition()) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }
}
