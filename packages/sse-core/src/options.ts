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
