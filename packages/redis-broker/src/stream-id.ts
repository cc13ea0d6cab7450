/**
 * Redis stream entry ids (`<milliseconds>-<sequence>`, both unsigned 64-bit integers),
 * which this broker uses as event ids as they are.
 * @see https://redis.io/docs/latest/develop/data-types/streams/#entry-ids
 */

/** The id that sorts before every entry of any stream: the broker's origin id. */
export const ORIGIN_STREAM_ID = "0-0";

/** A parsed stream id; both parts fit an unsigned 64-bit integer. */
export interface StreamId {
  readonly milliseconds: bigint;
  readonly sequence: bigint;
}

const MAX_U64 = (1n << 64n) - 1n;
// Digits only, no sign, no leading "+": exactly what Redis itself prints for an id.
const STREAM_ID_PATTERN = /^(0|[1-9][0-9]{0,19})-(0|[1-9][0-9]{0,19})$/;

/**
 * Parses a complete stream id strictly (`"1732500000000-0"`); anything else, including the
 * partial ids Redis accepts as range bounds (`"1732500000000"`, `"-"`, `"$"`), is undefined.
 */
export function parseStreamId(id: string): StreamId | undefined {
  const match = STREAM_ID_PATTERN.exec(id);
  if (match === null) return undefined;
  const milliseconds = BigInt(match[1] as string);
  const sequence = BigInt(match[2] as string);
  if (milliseconds > MAX_U64 || sequence > MAX_U64) return undefined;
  return { milliseconds, sequence };
}

/** Orders two parsed stream ids: negative when `a` is older, 0 when equal, positive when newer. */
export function compareStreamIds(a: StreamId, b: StreamId): number {
  if (a.milliseconds !== b.milliseconds) return a.milliseconds < b.milliseconds ? -1 : 1;
  if (a.sequence !== b.sequence) return a.sequence < b.sequence ? -1 : 1;
  return 0;
}

/**
 * Orders two ids Redis produced (always well-formed); throws on a malformed one, which
 * would mean Redis answered something that is not a stream id.
 */
export function compareRedisIds(a: string, b: string): number {
  return compareStreamIds(mustParse(a), mustParse(b));
}

function mustParse(id: string): StreamId {
  const parsed = parseStreamId(id);
  if (parsed === undefined) throw new TypeError(`not a Redis stream id: ${JSON.stringify(id).slice(0, 60)}`);
  return parsed;
}
