/**
 * The publish of several events at once (`publishBatch`): one statement, so one transaction of
 * its own or a part of the caller's, stores them all or none. Each event takes the next value of
 * the sequence in input order, so the events of a batch share the transaction's id and sort in
 * input order; one doorbell rings for all of them at commit.
 */
import type { ResolvedPublish } from "@events/sse-core";
import type { PostgresSql } from "./options.ts";
import type { SchemaNames } from "./schema.ts";
import type { StoredRow } from "./idempotent-publish.ts";

/**
 * The statement of a batch. Parameters: `$1` the events' types, `$2` their data, `$3` their
 * topics each joined by a space (topic names never hold one). Answers one row per event, in
 * input order.
 */
export function batchPublishStatement(names: SchemaNames): string {
  const { table, seq, meta, channel } = names;
  return `
    with items as (
      select i.ord, i.event, i.data, string_to_array(i.topics, ' ') as topics
      from unnest($1::text[], $2::text[], $3::text[]) with ordinality as i(event, data, topics, ord)
    ),
    e as (
      select o.ord, o.event, o.data, o.topics, nextval('${seq}') as seq from (select * from items order by ord) as o
    ),
    ins as (
      insert into ${table} (seq, topic, event, data, topics)
      select e.seq, t.topic, e.event, e.data, e.topics from e cross join unnest(e.topics) as t(topic)
      returning txid
    )
    select (select epoch from ${meta}) as epoch, (select txid::text from ins limit 1) as txid, e.seq::text as seq
    from e cross join (select pg_notify('${channel}', '')) as doorbell
    order by e.ord`;
}

/** Runs {@link batchPublishStatement} for checked events; resolves with one row per event, in input order. */
export async function storeBatch(db: PostgresSql, statement: string, events: readonly ResolvedPublish[]): Promise<StoredRow[]> {
  const rows = await db.unsafe(statement, [
    events.map((event) => event.event),
    events.map((event) => event.data),
    events.map((event) => event.topics.join(" ")),
  ] as never[]);
  return rows as unknown as StoredRow[];
}
