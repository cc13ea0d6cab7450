import { SseError, describeValue } from "./errors.ts";
import type { EventId } from "./types.ts";

/** An event id taken apart: the broker's epoch (ms since 1970) and the sequence within it. */
export interface EventIdParts {
  readonly epoch: number;
  readonly sequence: number;
}

/** Canonical ids only: base36 epoch without leading zeros, `-`, base10 sequence without leading zeros. */
const EVENT_ID = /^(0|[1-9a-z][0-9a-z]*)-(0|[1-9][0-9]*)$/;

/**
 * Formats an event id `<epoch base36>-<sequence base10>`, e.g. `"mi1x8k2p-42"`.
 *
 * The epoch is the moment a history was born (a `MemoryBroker` uses `Date.now()` at
 * construction), so ids stay unique across restarts, and ids of a later epoch sort after
 * those of an earlier one. Compare ids with {@link compareEventIds}, not as strings.
 *
 * @throws {SseError} `INVALID_ID` when either part is not a non-negative safe integer.
 */
export function formatEventId(epoch: number, sequence: number): EventId {
  if (!Number.isSafeInteger(epoch) || epoch < 0 || !Number.isSafeInteger(sequence) || sequence < 0) {
    throw new SseError(
      "INVALID_ID",
      `event id parts must be non-negative safe integers (got epoch ${describeValue(epoch)}, sequence ${describeValue(sequence)}); pass whole numbers from 0 to 2^53 - 1`,
    );
  }
  return `${epoch.toString(36)}-${sequence}`;
}

/**
 * Parses an id made by {@link formatEventId}. Strict: anything that {@link formatEventId}
 * would not produce exactly (leading zeros, upper case, signs, spaces, unsafe integers)
 * gives `undefined`.
 */
export function parseEventId(id: string): EventIdParts | undefined {
  if (id.length > 40) return undefined;
  const match = EVENT_ID.exec(id);
  if (match === null) return undefined;
  const epoch = Number.parseInt(match[1] as string, 36);
  const sequence = Number(match[2]);
  if (!Number.isSafeInteger(epoch) || !Number.isSafeInteger(sequence)) return undefined;
  return { epoch, sequence };
}

/**
 * Orders two event ids: negative when `a` comes first, positive when `b` does, 0 when equal.
 * Ids from {@link formatEventId} compare by epoch, then sequence; a malformed id sorts
 * before every well-formed one, and two malformed ids compare as strings.
 */
export function compareEventIds(a: EventId, b: EventId): number {
  const left = parseEventId(a);
  const right = parseEventId(b);
  if (left === undefined || right === undefined) {
    if (left !== undefined) return 1;
    if (right !== undefined) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return left.epoch - right.epoch || left.sequence - right.sequence;
}
