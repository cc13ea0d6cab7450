import { positiveInteger } from "./options.ts";

/** How long and how many idempotency keys a broker remembers (see `PublishInput.idempotencyKey`). */
export interface IdempotencyOptions {
  /**
   * How long a key is remembered after the publish that stored its event: a publish with
   * the same key within this window stores nothing. Positive integer. @default 600000 (ms, 10 min)
   */
  readonly idempotencyWindowMs?: number | undefined;
  /**
   * The most keys remembered at once; past it the oldest key is forgotten first, even within
   * the window (bounds memory). Positive integer. @default 100000 (keys)
   */
  readonly maxIdempotencyKeys?: number | undefined;
}

/** Defaults of {@link IdempotencyOptions}, shared by every broker. */
export const DEFAULT_IDEMPOTENCY_OPTIONS: Readonly<{ idempotencyWindowMs: number; maxIdempotencyKeys: number }> = Object.freeze({
  idempotencyWindowMs: 10 * 60 * 1000,
  maxIdempotencyKeys: 100_000,
});

/** What {@link IdempotencyKeys} is built from. */
export interface IdempotencyKeysOptions extends IdempotencyOptions {
  /** Milliseconds now (`Date.now` in production, a manual clock in tests). */
  readonly clock: () => number;
  /** Who owns the keys, for error messages, e.g. `"MemoryBroker"`. */
  readonly owner: string;
}

/**
 * The idempotency keys one in-process broker has seen, each with a value (what the first
 * publish stored), forgotten after a window and past a count, oldest first. Map order is
 * insertion order, which is time order, so expiry only ever looks at the oldest keys.
 */
export class IdempotencyKeys<T> {
  readonly windowMs: number;
  readonly maxKeys: number;
  readonly #clock: () => number;
  readonly #entries = new Map<string, { readonly value: T; readonly at: number }>();

  /** @throws {SseError} `INVALID_OPTION` when a bound is not a positive integer. */
  constructor(options: IdempotencyKeysOptions) {
    const { owner, clock } = options;
    const defaults = DEFAULT_IDEMPOTENCY_OPTIONS;
    this.windowMs = positiveInteger(`${owner} idempotencyWindowMs`, options.idempotencyWindowMs, defaults.idempotencyWindowMs);
    this.maxKeys = positiveInteger(`${owner} maxIdempotencyKeys`, options.maxIdempotencyKeys, defaults.maxIdempotencyKeys);
    this.#clock = clock;
  }

  /** How many keys are remembered now (expired ones may still count until the next lookup). */
  get size(): number {
    return this.#entries.size;
  }

  /** The value remembered for `key`, or undefined when it was never seen, expired or was forgotten. */
  get(key: string): T | undefined {
    const now = this.#clock();
    this.#expire(now);
    const entry = this.#entries.get(key);
    // A clock that went back leaves younger keys behind older ones: check this one too.
    return entry === undefined || now - entry.at >= this.windowMs ? undefined : entry.value;
  }

  /** Remembers `value` for `key` from now on, forgetting the oldest key past `maxKeys`. */
  remember(key: string, value: T): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, at: this.#clock() });
    if (this.#entries.size > this.maxKeys) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  #expire(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (now - entry.at < this.windowMs) return;
      this.#entries.delete(key);
    }
  }
}
