import { SseError, describeValue } from "./errors.ts";

/**
 * Checks a count or duration option at construction: returns `value`, or `fallback` when it
 * is undefined.
 *
 * @param name How the message names the option, e.g. `"MemoryBroker historySize"`.
 * @throws {SseError} `INVALID_OPTION` naming the option, the value and the fix when `value` is
 *   not a positive safe integer.
 * @example
 * ```ts
 * const maxEvents = positiveInteger("maxEvents", options.maxEvents, 1000);
 * ```
 */
export function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new SseError(
      "INVALID_OPTION",
      `${name} must be a positive integer (got ${describeValue(value)}); pass a whole number of at least 1, or omit it for the default ${fallback}`,
    );
  }
  return value;
}

/**
 * Checks a broker's `historyTtlMs`: returns `false` (no age bound) when it is undefined or
 * `false`, else the value.
 *
 * @param owner The class the message names, e.g. `"RedisBroker"`.
 * @throws {SseError} `INVALID_OPTION` when `value` is neither `false` nor a positive safe integer.
 * @example
 * ```ts
 * const historyTtlMs = resolveHistoryTtl("RedisBroker", options.historyTtlMs);
 * ```
 */
export function resolveHistoryTtl(owner: string, value: number | false | undefined): number | false {
  if (value === undefined || value === false) return false;
  if (!Number.isSafeInteger(value) || value <= 0) {
    invalidOption(`${owner} historyTtlMs`, "must be a positive integer (ms) or false", value, "e.g. 3600000 for one hour, or false for no age bound");
  }
  return value;
}

/**
 * Throws the `INVALID_OPTION` error of an option that breaks a rule:
 * `<subject> <rule> (got <value>); <fix>`.
 *
 * @example
 * ```ts
 * invalidOption("RedisBroker streamKey", "must be a non-empty string", streamKey, "e.g. myapp:events");
 * ```
 */
export function invalidOption(subject: string, rule: string, value: unknown, fix: string): never {
  throw new SseError("INVALID_OPTION", `${subject} ${rule} (got ${describeValue(value)}); ${fix}`);
}
