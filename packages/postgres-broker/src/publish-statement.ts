/**
 * The statement of a plain publish, and the part it shares with the keyed one: one row per
 * topic at one sequence number, the stored position as the answer, and the doorbell rung.
 */
import type { SchemaNames } from "./schema.ts";

/**
 * The common tail of a single-event publish: `ins` stores `$1` event, `$2` data, `$3` topics
 * (one row per topic) at the `seq` of the CTE named `from`, then answers `epoch`, `txid`,
 * `seq` once and notifies the channel in the same statement.
 */
export function insertRowsAndRing(names: SchemaNames, from: string): string {
  const { table, meta, channel } = names;
  return `
    ins as (
      insert into ${table} (seq, topic, event, data, topics)
      select ${from}.seq, t.topic, $1, $2, $3::text[] from ${from} cross join unnest($3::text[]) as t(topic)
      returning txid, seq
    )
    select (select epoch from ${meta}) as epoch, ins.txid::text as txid, ins.seq::text as seq
    from ins cross join (select pg_notify('${channel}', '')) as doorbell limit 1`;
}

/** The statement of a publish without a key. Parameters: `$1` event, `$2` data, `$3` topics. */
export function publishStatement(names: SchemaNames): string {
  return `
    with e as (select nextval('${names.seq}') as seq),${insertRowsAndRing(names, "e")}`;
}
