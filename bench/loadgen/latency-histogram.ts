/**
 * A fixed-size latency histogram: 0.1 ms buckets up to 60 s, so millions of samples cost
 * one array increment each and percentiles are exact to the bucket.
 */
const BUCKET_MS = 0.1;
const BUCKETS = 600_000;

/** Percentiles of a set of latency samples, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Records latencies (ms) and answers percentiles. */
export class LatencyHistogram {
  readonly #buckets = new Uint32Array(BUCKETS);
  #count = 0;
  #maxMs = 0;

  /** Adds `times` samples of `ms` (negative clock skew counts as 0). */
  record(ms: number, times = 1): void {
    const value = ms < 0 ? 0 : ms;
    const index = Math.min(BUCKETS - 1, Math.floor(value / BUCKET_MS));
    this.#buckets[index] = (this.#buckets[index] ?? 0) + times;
    this.#count += times;
    if (value > this.#maxMs) this.#maxMs = value;
  }

  /** Forgets every sample. */
  reset(): void {
    this.#buckets.fill(0);
    this.#count = 0;
    this.#maxMs = 0;
  }

  /** p50, p99 and max of what was recorded since the last reset. */
  summary(): LatencySummary {
    return { count: this.#count, p50Ms: this.#percentile(0.5), p99Ms: this.#percentile(0.99), maxMs: this.#maxMs };
  }

  #percentile(fraction: number): number {
    if (this.#count === 0) return Number.NaN;
    const rank = Math.ceil(this.#count * fraction);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      seen += this.#buckets[i] ?? 0;
      if (seen >= rank) return Math.min((i + 1) * BUCKET_MS, this.#maxMs);
    }
    return this.#maxMs;
  }
}
