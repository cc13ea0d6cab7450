import type { PostgresSql } from "./options.ts";

/** The names of the objects one history uses, all derived from the `table` option. */
export interface SchemaNames {
  /** One row per (event, topic): the history. */
  readonly table: string;
  /** Sequence numbers of events (the second part of a position). */
  readonly seq: string;
  /** One row: the epoch, the trimmer's scan cursor, what evicted topics held. */
  readonly meta: string;
  /** One row per topic the trimmer knows: its newest position and what trimming deleted. */
  readonly topics: string;
  /** One row per idempotency key: the position of the event its first publish stored, and when. */
  readonly idempotency: string;
  /** The `NOTIFY` channel (the doorbell). */
  readonly channel: string;
  /** The advisory lock key (`hashtext`) for schema changes and trimming. */
  readonly lockKey: string;
}

/** The names of `table`'s objects. */
export function schemaNames(table: string): SchemaNames {
  return {
    table,
    seq: `${table}_seq`,
    meta: `${table}_meta`,
    topics: `${table}_topics`,
    idempotency: `${table}_idempotency`,
    channel: table,
    lockKey: `events-broker:${table}`,
  };
}

/** SQL that mints a new epoch: 10 characters of [0-9a-f], never "-" (the id separator). */
const NEW_EPOCH = "substr(md5(random()::text || clock_timestamp()::text), 1, 10)";

/**
 * The statements that create the schema, each idempotent (`if not exists`, `create or
 * replace`). Run under an advisory lock, so nodes starting together do not race.
 */
export function schemaStatements(names: SchemaNames): string[] {
  const { table, seq, meta, topics, idempotency } = names;
  const base = table.slice(table.lastIndexOf(".") + 1);
  return [
    `create sequence if not exists ${seq}`,
    `create table if not exists ${table} (
      txid xid8 not null default pg_current_xact_id(),
      seq bigint not null,
      topic text collate "C" not null,
      event text not null,
      data text not null,
      topics text[] not null,
      created_at timestamptz not null default now(),
      primary key (topic, txid, seq)
    )`,
    `create index if not exists ${base}_position on ${table} (txid, seq)`,
    `create index if not exists ${base}_created_at on ${table} (created_at)`,
    `create table if not exists ${meta} (
      singleton boolean primary key default true check (singleton),
      epoch text not null,
      system_identifier text,
      timeline integer,
      trim_txid xid8 not null default '0',
      trim_seq bigint not null default 0,
      forgotten_txid xid8,
      forgotten_seq bigint
    )`,
    `create table if not exists ${topics} (
      topic text collate "C" primary key,
      last_txid xid8 not null,
      last_seq bigint not null,
      trimmed_txid xid8,
      trimmed_seq bigint
    )`,
    `create table if not exists ${idempotency} (
      key text collate "C" primary key,
      txid xid8 not null,
      seq bigint not null,
      stored_at timestamptz not null default now()
    )`,
    `create index if not exists ${base}_idempotency_stored_at on ${idempotency} (stored_at)`,
    `insert into ${meta} (epoch) values (${NEW_EPOCH}) on conflict do nothing`,
    `create or replace function ${table}_new_epoch() returns trigger language plpgsql as $$
    begin
      update ${meta} set epoch = ${NEW_EPOCH}, trim_txid = '0', trim_seq = 0, forgotten_txid = null, forgotten_seq = null;
      delete from ${topics};
      delete from ${idempotency};
      return null;
    end $$`,
    `create or replace trigger ${base}_truncated after truncate on ${table} for each statement execute function ${table}_new_epoch()`,
  ];
}

/**
 * Creates the schema if needed (idempotent, serialised between nodes by an advisory lock), then
 * checks the database is the one the epoch was minted on: a database restored from a backup
 * into a new cluster (another system identifier) or to a new timeline (point-in-time recovery)
 * hands out transaction ids again that clients may already hold, so the epoch is renewed and
 * their resumes get an `other-epoch` gap.
 */
export async function ensureSchema(sql: PostgresSql, names: SchemaNames): Promise<void> {
  await sql.begin(async (tx) => {
    await tx.unsafe("select pg_advisory_xact_lock(hashtext($1))", [names.lockKey]);
    for (const statement of schemaStatements(names)) await tx.unsafe(statement);
  });
  await checkIdentity(sql, names);
}

/** Renews the epoch when the cluster's identity changed since it was minted (see {@link ensureSchema}). */
export async function checkIdentity(sql: PostgresSql, names: SchemaNames): Promise<void> {
  let identity: { system_identifier: string; timeline: number } | undefined;
  try {
    const rows = await sql.unsafe(
      "select (select system_identifier::text from pg_control_system()) as system_identifier, (select timeline_id from pg_control_checkpoint()) as timeline",
    );
    identity = rows[0] as unknown as { system_identifier: string; timeline: number } | undefined;
  } catch {
    // pg_control_* need superuser or pg_monitor: without them, only TRUNCATE renews the epoch (README).
    return;
  }
  if (identity === undefined) return;
  await sql.unsafe(
    `update ${names.meta} set
       epoch = case when system_identifier is null then epoch else ${NEW_EPOCH} end,
       system_identifier = $1, timeline = $2
     where system_identifier is distinct from $1 or timeline is distinct from $2`,
    [identity.system_identifier, identity.timeline],
  );
}
