/** Milliseconds per unit of a duration written like Go's `time.ParseDuration` (what Goa's `--timeout` takes). */
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

const PART = /(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)/y;

/**
 * Parses a duration such as `500ms`, `5s`, `1.5s`, `2m` or `1m30s` into milliseconds.
 * `0` alone means "no limit" and parses to 0. Returns `undefined` for anything else
 * (a bare number other than 0, an unknown unit, a negative value), so the caller can
 * report a usage error naming the offending flag.
 *
 * @example
 * parseDuration("1m30s"); // 90000
 */
export function parseDuration(text: string): number | undefined {
  const input = text.trim();
  if (input === "0") return 0;
  if (input === "") return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < input.length) {
    const match = PART.exec(input);
    if (match === null) return undefined;
    const [, amount, unit] = match;
    total += Number(amount) * (UNIT_MS[unit ?? ""] ?? Number.NaN);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** Writes milliseconds back the way a person reads them: `800ms`, `1.2s`, `5s`, `2m`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(1))}s`;
  return `${Number((ms / 60_000).toFixed(1))}m`;
}
