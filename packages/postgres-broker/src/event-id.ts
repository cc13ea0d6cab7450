/**
 * Event ids of the Postgres broker: `<epoch>-<txid>-<seq>`. An event's place in the history is
 * the id of the transaction that stored it (`xid8`, 64-bit, never wraps) and its sequence
 * number; the epoch names the history (see the README). Clients treat ids as opaque.
 */

/** A place in the history: events are ordered by transaction id, then sequence number. */
export interface Position {
  readonly txid: bigint;
  readonly seq: bigint;
}

/** The position before every event (`<epoch>-0-0` on the wire). */
export const ORIGIN_POSITION: Position = Object.freeze({ txid: 0n, seq: 0n });

/** A parsed event id. */
export interface PostgresEventId extends Position {
  readonly epoch: string;
}

const ID = /^([0-9a-z]{1,32})-(0|[1-9][0-9]{0,19})-(0|[1-9][0-9]{0,19})$/;

/** Writes the wire id of `position` in history `epoch`. */
export function formatPostgresEventId(epoch: string, position: Position): string {
  return `${epoch}-${position.txid}-${position.seq}`;
}

/** Reads a wire id; undefined when it cannot be an id of this broker. */
export function parsePostgresEventId(id: string): PostgresEventId | undefined {
  const match = ID.exec(id);
  if (match === null) return undefined;
  return { epoch: match[1] as string, txid: BigInt(match[2] as string), seq: BigInt(match[3] as string) };
}

/** Orders two positions: negative when `a` comes first, 0 when equal, positive after. */
export function comparePositions(a: Position, b: Position): number {
  if (a.txid !== b.txid) return a.txid < b.txid ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

/**
 * Orders two event ids of one history the way the broker delivers them (negative when `a`
 * comes first). Throws for an id that is not one of this broker's.
 */
export function comparePostgresEventIds(a: string, b: string): number {
  const left = parsePostgresEventId(a);
  const right = parsePostgresEventId(b);
  if (left === undefined || right === undefined) throw new TypeError(`not a Postgres broker event id: ${left === undefined ? a : b}`);
  return comparePositions(left, right);
}
