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
