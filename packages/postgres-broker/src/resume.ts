import { type GapNotice, type GapReason, type SubscribedTopic } from "@events/sse-core";
import { comparePositions, formatPostgresEventId, ORIGIN_POSITION, type Position } from "./event-id.ts";
import type { PostgresSql } from "./options.ts";
import type { SchemaNames } from "./schema.ts";
import type { EventRow } from "./table-reader.ts";
import { topicFilter } from "./topic-filter.ts";

/** What a subscriber gets: its opening and replay, and where live delivery takes over. */
export interface ReplayPlan {
  readonly gap: GapNotice | undefined;
  /** The subscription's cursor (see `Subscription.cursor`). */
  readonly cursor: string;
  readonly replay: readonly EventRow[];
  /** The epoch the plan was read in. */
  readonly epoch: string;
  /**
   * The snapshot's oldest open transaction: every row of an older transaction was final when
   * the replay was read (in it, or not subscribed); live rows of older transactions are skipped.
   */
  readonly liveFromTxid: bigint;
  /** Live rows at or before this position are skipped too (a resume id newer than the snapshot). */
  readonly after: Position | undefined;
}

/** The requested resume point, as the broker parsed it. */
export type ResumeRequest =
  | { readonly kind: "fresh" }
  | { readonly kind: "malformed"; readonly id: string }
  | { readonly kind: "id"; readonly id: string; readonly epoch: string; readonly position: Position };

interface Snapshot {
  readonly epoch: string;
  readonly xmin: bigint;
  readonly newest: Position;
  /** The newest committed row, final or not (a resume id may name one the snapshot cannot read yet). */
  readonly newestAny: Position;
  readonly forgotten: Position | undefined;
}

/**
 * Reads a subscriber's plan in one read-only repeatable-read transaction, so the epoch, the
 * rows, the trimming watermarks and the snapshot's oldest open transaction agree.
 */
export async function readPlan(
  sql: PostgresSql,
  names: SchemaNames,
  request: ResumeRequest,
  subscribed: readonly SubscribedTopic[],
  historyTtlMs: number | false,
): Promise<ReplayPlan> {
  return await sql.begin("isolation level repeatable read read only", async (tx) => {
    const snapshot = await readSnapshot(tx as unknown as PostgresSql, names);
    const live = { epoch: snapshot.epoch, liveFromTxid: snapshot.xmin };
    const origin = formatPostgresEventId(snapshot.epoch, ORIGIN_POSITION);
    if (request.kind === "fresh") {
      return { ...live, gap: undefined, cursor: formatPostgresEventId(snapshot.epoch, snapshot.newest), replay: [], after: undefined };
    }
    const full = async (reason: GapReason): Promise<ReplayPlan> => {
      const replay = await readRows(tx as unknown as PostgresSql, names, subscribed, ORIGIN_POSITION, snapshot.xmin, historyTtlMs);
      const first = replay[0];
      const oldestId = first === undefined ? undefined : formatPostgresEventId(snapshot.epoch, positionOf(first));
      const gap: GapNotice = { requestedId: request.id, oldestId, reason, topics: subscribed.map(({ text }) => text) };
      return { ...live, gap, cursor: origin, replay, after: undefined };
    };
    if (request.kind === "malformed") return await full("malformed");
    if (request.epoch !== snapshot.epoch) return await full("other-epoch");
    const requested = request.position;
    if (comparePositions(requested, snapshot.newestAny) > 0) return await full("unknown");
    const db = tx as unknown as PostgresSql;
    const replay = await readRows(db, names, subscribed, requested, snapshot.xmin, historyTtlMs);
    const affected = await lostTopics(db, names, subscribed, requested, snapshot, historyTtlMs);
    let gap: GapNotice | undefined;
    if (affected.length > 0) {
      const oldest = await oldestHeld(db, names, affected, snapshot.xmin, historyTtlMs);
      gap = {
        requestedId: request.id,
        oldestId: oldest === undefined ? undefined : formatPostgresEventId(snapshot.epoch, oldest),
        reason: "too-old",
        topics: affected.map(({ text }) => text),
      };
    }
    return { ...live, gap, cursor: request.id, replay, after: requested };
  });
}

async function readSnapshot(sql: PostgresSql, names: SchemaNames): Promise<Snapshot> {
  const { table, meta } = names;
  const rows = await sql.unsafe(`
    with snap as materialized (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
    select m.epoch, snap.xmin::text as xmin, m.forgotten_txid::text as forgotten_txid, m.forgotten_seq::text as forgotten_seq,
      n.txid::text as newest_txid, n.seq::text as newest_seq, a.txid::text as any_txid, a.seq::text as any_seq
    from snap cross join ${meta} m
    left join lateral (select txid, seq from ${table} where txid < snap.xmin order by txid desc, seq desc limit 1) n on true
    left join lateral (select txid, seq from ${table} order by txid desc, seq desc limit 1) a on true`);
  const row = rows[0] as Record<string, string | null>;
  const newest = position(row["newest_txid"], row["newest_seq"]) ?? ORIGIN_POSITION;
  return {
    epoch: row["epoch"] as string,
    xmin: BigInt(row["xmin"] as string),
    newest,
    newestAny: position(row["any_txid"], row["any_seq"]) ?? newest,
    forgotten: position(row["forgotten_txid"], row["forgotten_seq"]),
  };
}

/** The final rows of the subscribed topics after `after`, each event once, in position order, none past the age bound. */
async function readRows(
  sql: PostgresSql,
  names: SchemaNames,
  subscribed: readonly SubscribedTopic[],
  after: Position,
  xmin: bigint,
  historyTtlMs: number | false,
): Promise<EventRow[]> {
  const filter = topicFilter(subscribed.map(({ pattern }) => pattern), 4);
  const fresh = historyTtlMs === false ? "" : ` and created_at >= now() - make_interval(secs => ${historyTtlMs / 1000})`;
  const rows = await sql.unsafe(
    `select distinct on (h.txid, h.seq) h.txid::text as txid, h.seq::text as seq, event, data, topics from ${names.table} h
     where (h.txid, h.seq) > ($1::xid8, $2::int8) and h.txid < $3::xid8 and ${filter.sql}${fresh}
     order by h.txid, h.seq`,
    [String(after.txid), String(after.seq), String(xmin), ...filter.params] as never[],
  );
  return rows as unknown as EventRow[];
}

/**
 * The subscribed topics and patterns that lost events after `requested`: a matching topic whose
 * trimming watermark is past it, an event after it past the age bound, or (for a topic the
 * trimmer no longer lists, and for every pattern) what evicted topics held past it.
 */
async function lostTopics(
  sql: PostgresSql,
  names: SchemaNames,
  subscribed: readonly SubscribedTopic[],
  requested: Position,
  snapshot: Snapshot,
  historyTtlMs: number | false,
): Promise<SubscribedTopic[]> {
  const forgottenPast = snapshot.forgotten !== undefined && comparePositions(requested, snapshot.forgotten) < 0;
  const affected: SubscribedTopic[] = [];
  for (const entry of subscribed) {
    const filter = topicFilter([entry.pattern], 3);
    const params = [String(requested.txid), String(requested.seq), ...filter.params] as never[];
    const trimmed = await sql.unsafe(
      `select count(*) filter (where (trimmed_txid, trimmed_seq) > ($1::xid8, $2::int8))::int as lost, count(*)::int as listed
       from ${names.topics} where ${filter.sql}`,
      params,
    );
    const { lost, listed } = trimmed[0] as unknown as { lost: number; listed: number };
    let gap = lost > 0 || (forgottenPast && (entry.pattern.kind !== "exact" || listed === 0));
    if (!gap && historyTtlMs !== false) {
      const expired = await sql.unsafe(
        `select 1 from ${names.table} where (txid, seq) > ($1::xid8, $2::int8) and ${filter.sql}
         and created_at < now() - make_interval(secs => ${historyTtlMs / 1000}) limit 1`,
        params,
      );
      gap = expired.length > 0;
    }
    if (gap) affected.push(entry);
  }
  return affected;
}

/** The oldest final, unexpired row of the affected topics. */
async function oldestHeld(
  sql: PostgresSql,
  names: SchemaNames,
  affected: readonly SubscribedTopic[],
  xmin: bigint,
  historyTtlMs: number | false,
): Promise<Position | undefined> {
  const filter = topicFilter(affected.map(({ pattern }) => pattern), 2);
  const fresh = historyTtlMs === false ? "" : ` and created_at >= now() - make_interval(secs => ${historyTtlMs / 1000})`;
  const rows = await sql.unsafe(
    `select h.txid::text as txid, h.seq::text as seq from ${names.table} h where h.txid < $1::xid8 and ${filter.sql}${fresh}
     order by h.txid, h.seq limit 1`,
    [String(xmin), ...filter.params] as never[],
  );
  const row = rows[0] as unknown as { txid: string; seq: string } | undefined;
  return row === undefined ? undefined : { txid: BigInt(row.txid), seq: BigInt(row.seq) };
}

/** The position of a row. */
export function positionOf(row: { readonly txid: string; readonly seq: string }): Position {
  return { txid: BigInt(row.txid), seq: BigInt(row.seq) };
}

function position(txid: string | null | undefined, seq: string | null | undefined): Position | undefined {
  return txid === null || txid === undefined || seq === null || seq === undefined ? undefined : { txid: BigInt(txid), seq: BigInt(seq) };
}
