/**
 * The publish of an event with an `idempotencyKey`: claiming the key and storing the event are
 * one statement (so, with `{ tx }`, part of the caller's transaction: a rolled-back publish frees
 * its key). `INSERT … ON CONFLICT` on the key decides who stores: a second publish with the key
 * waits while the first's transaction is open, then stores nothing if it committed (and the key
 * is within the window) or stores if it rolled back.
 */
import type { PostgresSql } from "./options.ts";
import { insertRowsAndRing } from "./publish-statement.ts";
import type { SchemaNames } from "./schema.ts";

/** What a keyed publish's statement answers when it stored the event. */
export interface StoredRow {
  readonly epoch: string;
  readonly txid: string;
  readonly seq: string;
}

/** The first event of a key seen within the window; `event`, `data`, `topics` null once trimmed. */
export interface FirstRow extends StoredRow {
  readonly event: string | null;
  readonly data: string | null;
  readonly topics: string[] | null;
}

/**
 * The statement of a keyed publish. Parameters: `$1` event, `$2` data, `$3` topics, `$4` the
 * key, `$5` the window (ms). It answers one row when it stored the event and none when the key
 * is held by an event stored within the window. A key past the window is taken over (its row
 * updated) even before the trimming job deletes it.
 */
export function keyedPublishStatement(names: SchemaNames): string {
  const { seq, idempotency } = names;
  return `
    with e as (select nextval('${seq}') as seq),
    k as (
      insert into ${idempotency} as k (key, txid, seq)
      select $4, pg_current_xact_id(), e.seq from e
      on conflict (key) do update set txid = excluded.txid, seq = excluded.seq, stored_at = now()
      where k.stored_at < now() - make_interval(secs => $5::float8 / 1000)
      returning k.seq
    ),${insertRowsAndRing(names, "k")}`;
}

/**
 * Reads the first event of `key` (run after {@link keyedPublishStatement} stored nothing, in a
 * new snapshot, so it sees the first publish that committed meanwhile): its position always,
 * its fields while history holds it. Undefined when the key is gone (expired by the trimming job
 * in between): the caller publishes again.
 */
export async function readFirst(db: PostgresSql, names: SchemaNames, key: string, windowMs: number): Promise<FirstRow | undefined> {
  const { table, meta, idempotency } = names;
  const rows = await db.unsafe(
    `select (select epoch from ${meta}) as epoch, k.txid::text as txid, k.seq::text as seq, h.event, h.data, h.topics
     from ${idempotency} k
     left join lateral (select event, data, topics from ${table} h where h.txid = k.txid and h.seq = k.seq limit 1) h on true
     where k.key = $1 and k.stored_at >= now() - make_interval(secs => $2::float8 / 1000)`,
    [key, windowMs],
  );
  return rows[0] as unknown as FirstRow | undefined;
}
