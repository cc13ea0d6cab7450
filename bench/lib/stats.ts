/**
 * Summaries and number formatting shared by every benchmark. Runtime-neutral (no `Bun.*`):
 * the parser bench imports it on Bun, Deno and Node.
 */

/** Median of the finite values (NaN when there are none); the mean of the middle two for an even count. */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The interval {@link medianInterval} gives, with the chance it holds the true median. */
export interface MedianInterval {
  readonly low: number;
  readonly high: number;
  /** The chance that the interval holds the median of what was sampled (≥ the confidence asked). */
  readonly coverage: number;
}

/**
 * A distribution-free confidence interval for the median of the finite values: the k-th
 * smallest and k-th largest, with k the largest rank whose interval still covers the median with
 * at least `confidence` (from the binomial distribution with p = 1/2). Undefined when the
 * values are too few for any such interval (fewer than 6 at 95%). Tells a ratio at parity, whose
 * verdict a run decides by noise, from one that is clearly past a line.
 */
export function medianInterval(values: readonly number[], confidence = 0.95): MedianInterval | undefined {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = sorted.length;
  // cumulative = P(Binomial(n, 1/2) <= j), built term by term.
  let term = 0.5 ** n;
  let cumulative = 0;
  let best: MedianInterval | undefined;
  for (let j = 0; j < Math.floor(n / 2); j++) {
    cumulative += term;
    term = (term * (n - j)) / (j + 1);
    // The (j+1)-th smallest to the (j+1)-th largest misses the median only if at most j values fall below it, or above it.
    const coverage = 1 - 2 * cumulative;
    if (coverage < confidence) break;
    best = { low: sorted[j] as number, high: sorted[n - 1 - j] as number, coverage };
  }
  return best;
}

/**
 * The nearest-rank percentile of values sorted in ascending order: the smallest value with
 * at least `fraction` of the values at or below it (NaN for no values).
 */
export function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** A number for a table: thousands separated, `digits` decimals, "–" for NaN. */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return "–";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A ratio for a table: "0.93×", "–" for NaN. */
export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "–";
}

/** A target's verdict for a table: "**met**", "**missed**", or "not measured" when `pass` is undefined. */
export function verdict(pass: boolean | undefined): string {
  return pass === undefined ? "not measured" : pass ? "**met**" : "**missed**";
}

/** Appends `value` to the list under `key`, creating the list on first use. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
