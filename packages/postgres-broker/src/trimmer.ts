import type { PostgresSql, ResolvedPostgresBrokerOptions } from "./options.ts";
import type { SchemaNames } from "./schema.ts";

/**
 * The background job that bounds the history: per topic by count (`historySize`) and age
 * (`historyTtlMs`), and the number of topics (`maxRetainedTopics`, least recently published
 * first). It deletes in batches of `trimBatchSize` rows, each in a short transaction of its own
 * that also raises the topic's trimming watermark (the newest position deleted), so a resume
 * always sees either the rows or the watermark. It never touches a publisher's transaction or
 * a row a publisher locks: publishes never wait for it. Nodes take turns (an advisory lock).
 */
export class Trimmer {
  readonly #sql: PostgresSql;
  readonly #names: SchemaNames;
  readonly #options: ResolvedPostgresBrokerOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(sql: PostgresSql, names: SchemaNames, options: ResolvedPostgresBrokerOptions) {
    this.#sql = sql;
    this.#names = names;
    this.#options = options;
  }

  /** Runs the job every `trimIntervalMs` from now on. Idempotent. */
  start(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#schedule();
  }

  /** Stops the job, waiting for a run in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /**
   * One pass: learn new topics, trim by count and age, evict topics past the limit, forget
   * idempotency keys past the window and beyond `maxIdempotencyKeys`.
   */
  async runOnce(): Promise<void> {
    const touched = await this.#scan();
    if (touched === undefined) return;
    for (const topic of touched) await this.#trimCount(topic);
    if (this.#options.historyTtlMs !== false) await this.#trimAge(this.#options.historyTtlMs);
    await this.#evict();
    await this.#expireKeys();
  }

  /**
   * Deletes idempotency keys stored before the window, then the oldest beyond
   * `maxIdempotencyKeys`, in batches. Rows a publisher has locked (taking over an expired key)
   * are skipped, so neither waits for the other beyond one short statement.
   */
  async #expireKeys(): Promise<void> {
    const { idempotency } = this.#names;
    const { idempotencyWindowMs, maxIdempotencyKeys } = this.#options;
    await this.#deleteKeys(`stored_at < now() - make_interval(secs => $1::float8 / 1000)`, [idempotencyWindowMs]);
    // The newest key beyond the count: it and every older key go (ties with it too: a few more).
    const cutoff = await this.#sql.unsafe(`select stored_at::text as at from ${idempotency} order by stored_at desc offset $1 limit 1`, [
      maxIdempotencyKeys,
    ]);
    const row = cutoff[0] as unknown as { at: string } | undefined;
    // Sent as text: the driver would send a timestamptz parameter as a Date, losing microseconds.
    if (row !== undefined) await this.#deleteKeys("stored_at <= $1::text::timestamptz", [row.at]);
  }

  async #deleteKeys(condition: string, params: readonly (string | number)[]): Promise<void> {
    const { idempotency } = this.#names;
    const limit = `$${params.length + 1}`;
    const statement = `
      with doomed as (select key from ${idempotency} where ${condition} limit ${limit} for update skip locked),
      deleted as (delete from ${idempotency} where key in (select key from doomed) returning 1)
      select count(*)::int as deleted from deleted`;
    for (;;) {
      if (this.#stopped) return;
      const [row] = await this.#sql.unsafe(statement, [...params, this.#options.trimBatchSize]);
      if ((row as unknown as { deleted: number }).deleted < this.#options.trimBatchSize) return;
    }
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce()
        .catch((error: unknown) => this.#options.onError(error))
        .finally(() => {
          this.#running = undefined;
          if (!this.#stopped) this.#schedule();
        });
    }, this.#options.trimIntervalMs);
    // A Node or Bun process must not stay alive for its trimmer alone.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /**
   * Records the newest position of each topic with rows since the last scan (in the topics
   * table: what least-recently-published eviction orders by) and returns those topics, or
   * undefined when another node is scanning now.
   */
  async #scan(): Promise<string[] | undefined> {
    const { table, meta, topics, lockKey } = this.#names;
    return await this.#sql.begin(async (tx) => {
      const [lock] = await tx.unsafe("select pg_try_advisory_xact_lock(hashtext($1)) as locked", [lockKey]);
      if ((lock as unknown as { locked: boolean }).locked !== true) return undefined;
      const rows = await tx.unsafe(`
        with snap as materialized (select pg_snapshot_xmin(pg_current_snapshot()) as xmin),
        news as (
          select distinct on (t.topic) t.topic, t.txid, t.seq from ${table} t, ${meta} m, snap
          where (t.txid, t.seq) > (m.trim_txid, m.trim_seq) and t.txid < snap.xmin
          order by t.topic, t.txid desc, t.seq desc
        ),
        upserted as (
          insert into ${topics} (topic, last_txid, last_seq, trimmed_txid, trimmed_seq)
          select n.topic, n.txid, n.seq, m.forgotten_txid, m.forgotten_seq from news n, ${meta} m
          on conflict (topic) do update set last_txid = excluded.last_txid, last_seq = excluded.last_seq
          returning topic
        ),
        moved as (
          update ${meta} set (trim_txid, trim_seq) = (select txid, seq from news order by txid desc, seq desc limit 1)
          where exists (select 1 from news) returning 1
        )
        select topic from upserted, (select count(*) from moved) as m`);
      return rows.map((row) => (row as unknown as { topic: string }).topic);
    });
  }

  /** Deletes a topic's events beyond the newest `historySize`, in batches. */
  async #trimCount(topic: string): Promise<void> {
    const { table } = this.#names;
    const cutoff = await this.#sql.unsafe(
      `select h.txid::text as txid, h.seq::text as seq from ${table} h where topic = $1 order by h.txid desc, h.seq desc offset $2 limit 1`,
      [topic, this.#options.historySize],
    );
    const row = cutoff[0] as unknown as { txid: string; seq: string } | undefined;
    if (row === undefined) return;
    await this.#deleteBatches(`topic = $1 and (txid, seq) <= ($2::xid8, $3::int8)`, [topic, row.txid, row.seq]);
  }

  /** Deletes events older than the age bound, in batches. */
  async #trimAge(ttlMs: number): Promise<void> {
    await this.#deleteBatches(`created_at < now() - make_interval(secs => $1::float8 / 1000)`, [ttlMs]);
  }

  /** Deletes every event of the least recently published topics beyond `maxRetainedTopics`. */
  async #evict(): Promise<void> {
    const { topics, meta } = this.#names;
    const excess = await this.#sql.unsafe(
      `select topic from ${topics} order by last_txid, last_seq
       limit greatest(0, (select count(*) from ${topics}) - $1)`,
      [this.#options.maxRetainedTopics],
    );
    for (const { topic } of excess as unknown as { topic: string }[]) {
      await this.#deleteBatches("topic = $1", [topic]);
      // Forget the topic: what it held is now covered by the one watermark of forgotten topics.
      await this.#sql.unsafe(
        `with gone as (delete from ${topics} where topic = $1 returning last_txid, last_seq, trimmed_txid, trimmed_seq),
         newest as (
           select txid, seq from (
             select last_txid as txid, last_seq as seq from gone
             union all select trimmed_txid, trimmed_seq from gone where trimmed_txid is not null
             union all select forgotten_txid, forgotten_seq from ${meta} where forgotten_txid is not null
           ) p order by txid desc, seq desc limit 1
         )
         update ${meta} set (forgotten_txid, forgotten_seq) = (select txid, seq from newest) where exists (select 1 from newest)`,
        [topic],
      );
    }
  }

  /**
   * Deletes the rows matching `condition` (parameters from `$1`) in batches, each batch in one
   * statement that also raises the trimming watermark of every topic it deleted from.
   */
  async #deleteBatches(condition: string, params: readonly (string | number)[]): Promise<void> {
    const { table, topics } = this.#names;
    const limit = `$${params.length + 1}`;
    const statement = `
      with doomed as (select ctid from ${table} where ${condition} limit ${limit}),
      deleted as (delete from ${table} where ctid in (select ctid from doomed) returning topic, txid, seq),
      newest as (select distinct on (topic) topic, txid, seq from deleted order by topic, txid desc, seq desc),
      marked as (
        insert into ${topics} as t (topic, last_txid, last_seq, trimmed_txid, trimmed_seq)
        select topic, txid, seq, txid, seq from newest
        on conflict (topic) do update set
          trimmed_txid = case when t.trimmed_txid is not null and (t.trimmed_txid, t.trimmed_seq) > (excluded.trimmed_txid, excluded.trimmed_seq)
            then t.trimmed_txid else excluded.trimmed_txid end,
          trimmed_seq = case when t.trimmed_txid is not null and (t.trimmed_txid, t.trimmed_seq) > (excluded.trimmed_txid, excluded.trimmed_seq)
            then t.trimmed_seq else excluded.trimmed_seq end
        returning 1
      )
      select (select count(*) from deleted)::int as deleted, (select count(*) from marked)::int as marked`;
    for (;;) {
      if (this.#stopped) return;
      const [row] = await this.#sql.unsafe(statement, [...params, this.#options.trimBatchSize]);
      if ((row as unknown as { deleted: number }).deleted < this.#options.trimBatchSize) return;
    }
  }
}
