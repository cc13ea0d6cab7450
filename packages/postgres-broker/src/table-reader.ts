import type postgres from "postgres";
import { comparePositions, ORIGIN_POSITION, type Position } from "./event-id.ts";
import { openListenConnection } from "./connection.ts";
import type { PostgresSql, ResolvedPostgresBrokerOptions } from "./options.ts";
import type { SchemaNames } from "./schema.ts";

/** One row of the history as the reader and a resume read it (the event of one topic). */
export interface EventRow {
  readonly txid: string;
  readonly seq: string;
  readonly event: string;
  readonly data: string;
  readonly topics: readonly string[];
}

/** What the reader tells the broker. */
export interface TableReaderHandlers {
  /** New rows, in position order, every event once; `epoch` names the history they are from. */
  onRows(rows: readonly EventRow[], epoch: string): void;
  /** The history's epoch changed (truncated, restored): positions before it mean nothing now. */
  onEpochChange(epoch: string): void;
  onError(error: unknown): void;
}

/** Where the reader starts: the newest final row and the epoch, read in one snapshot. */
interface StartPoint {
  readonly epoch: string;
  readonly newest: Position;
}

/** The shortest wait before a re-read when committed rows wait behind an older open transaction. */
const HELD_RETRY_MS = 5;

/**
 * The node's one reader of the history table. It reads the rows after its cursor whose
 * transaction is older than the oldest transaction still open (`txid < pg_snapshot_xmin`):
 * those are final, and any later row sorts after them, so the cursor never passes a row that
 * commits later. It reads when the doorbell rings (a `NOTIFY` on the table's channel, sent by
 * every publish at its commit), every `pollIntervalMs` (a missed doorbell), and again soon
 * while committed rows wait behind an open transaction. After losing the database it retries
 * with backoff and carries on from its cursor.
 */
export class TableReader {
  readonly #sql: PostgresSql;
  readonly #names: SchemaNames;
  readonly #options: ResolvedPostgresBrokerOptions;
  readonly #handlers: TableReaderHandlers;
  readonly #readStatement: string;
  #doorbell: postgres.Sql | undefined;
  #doorbellOk = false;
  #cursor: Position = ORIGIN_POSITION;
  #epoch = "";
  #starting: Promise<void> | undefined;
  #loop: Promise<void> | undefined;
  #rung = false;
  #wake: (() => void) | undefined;
  #stopped = false;
  #failures = 0;
  #lastError: string | undefined;

  constructor(sql: PostgresSql, names: SchemaNames, options: ResolvedPostgresBrokerOptions, handlers: TableReaderHandlers) {
    this.#sql = sql;
    this.#names = names;
    this.#options = options;
    this.#handlers = handlers;
    const { table, meta } = names;
    this.#readStatement = `
      with snap as materialized (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
      select (select epoch from ${meta}) as epoch, snap.xmin::text as xmin,
        exists (select 1 from ${table} where txid >= snap.xmin) as held,
        r.txid::text as txid, r.seq::text as seq, r.event, r.data, r.topics
      from snap left join lateral (
        select distinct on (txid, seq) txid, seq, event, data, topics from ${table}
        where (txid, seq) > ($1::xid8, $2::int8) and txid < snap.xmin
        order by txid, seq limit $3
      ) r on true
      order by r.txid, r.seq`;
  }

  /** Whether the reader's last read succeeded. */
  get connected(): boolean {
    return this.#loop !== undefined && this.#failures === 0;
  }

  /** The last read error, while the reader is failing. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** The position of the last row delivered (or the start point). */
  get cursor(): Position {
    return this.#cursor;
  }

  /**
   * Fixes the start position (the newest final row) on first call and starts reading; later
   * calls resolve at once. Rejects when the database cannot be read (the next call retries).
   */
  start(): Promise<void> {
    if (this.#loop !== undefined) return Promise.resolve();
    this.#starting ??= this.#readStart().then(
      (start) => {
        this.#epoch = start.epoch;
        this.#cursor = start.newest;
        this.#loop = this.#run();
      },
      (error: unknown) => {
        this.#starting = undefined;
        throw error;
      },
    );
    return this.#starting;
  }

  /** Reads soon (the doorbell). */
  ring(): void {
    this.#rung = true;
    this.#wake?.();
  }

  /** Stops reading and closes the doorbell connection. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
    await this.#closeDoorbell();
  }

  async #readStart(): Promise<StartPoint> {
    const { table, meta } = this.#names;
    const rows = await this.#sql.unsafe(`
      with snap as materialized (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
      select (select epoch from ${meta}) as epoch, n.txid::text as txid, n.seq::text as seq
      from snap left join lateral (
        select txid, seq from ${table} where txid < snap.xmin order by txid desc, seq desc limit 1
      ) n on true`);
    const row = rows[0] as unknown as { epoch: string; txid: string | null; seq: string | null };
    const newest = row.txid === null || row.seq === null ? ORIGIN_POSITION : { txid: BigInt(row.txid), seq: BigInt(row.seq) };
    return { epoch: row.epoch, newest };
  }

  async #run(): Promise<void> {
    let delayMs = 0;
    let heldDelayMs = HELD_RETRY_MS;
    while (!this.#stopped) {
      if (!this.#rung && delayMs > 0) await this.#sleep(delayMs);
      if (this.#stopped) return;
      this.#rung = false;
      try {
        if (!this.#doorbellOk) await this.#openDoorbell();
        const { full, held } = await this.#readOnce();
        this.#failures = 0;
        this.#lastError = undefined;
        if (full) {
          delayMs = 0;
        } else if (held) {
          // Rows wait behind an open transaction that may commit without ringing: look again soon.
          delayMs = heldDelayMs;
          heldDelayMs = Math.min(heldDelayMs * 2, this.#options.pollIntervalMs);
        } else {
          delayMs = this.#options.pollIntervalMs;
          heldDelayMs = HELD_RETRY_MS;
        }
      } catch (error) {
        if (this.#stopped) return;
        this.#failures += 1;
        this.#lastError = error instanceof Error ? error.message : String(error);
        this.#doorbellOk = false;
        this.#handlers.onError(error);
        delayMs = Math.min(this.#options.pollIntervalMs, 50 * 2 ** Math.min(this.#failures, 10));
      }
    }
  }

  /** One read: delivers the rows it got; `full` when there may be more, `held` when rows wait. */
  async #readOnce(): Promise<{ full: boolean; held: boolean }> {
    const limit = this.#options.readBatchSize;
    const result = await this.#sql.unsafe(this.#readStatement, [String(this.#cursor.txid), String(this.#cursor.seq), limit]);
    const rows = result as unknown as readonly (EventRow & { epoch: string; xmin: string; held: boolean; txid: string | null })[];
    const first = rows[0];
    if (first === undefined) return { full: false, held: false };
    if (first.epoch !== this.#epoch) {
      // Truncated or restored: positions of the old history mean nothing; start again from now.
      const start = await this.#readStart();
      this.#epoch = start.epoch;
      this.#cursor = start.newest;
      this.#handlers.onEpochChange(start.epoch);
      return { full: true, held: false };
    }
    const events = first.txid === null ? [] : rows;
    const last = events.at(-1);
    if (last !== undefined) {
      const position = { txid: BigInt(last.txid), seq: BigInt(last.seq) };
      if (comparePositions(position, this.#cursor) > 0) this.#cursor = position;
      this.#handlers.onRows(events, this.#epoch);
    }
    return { full: events.length >= limit, held: first.held };
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  /**
   * Opens a fresh connection that LISTENs on the table's channel. A fresh one after every
   * outage: the driver re-listens by itself after a drop, but gives up for good when that
   * first attempt fails, so the reader rebuilds it instead.
   */
  async #openDoorbell(): Promise<void> {
    await this.#closeDoorbell();
    const doorbell = openListenConnection(this.#sql, this.#options, () => {
      this.#doorbellOk = false;
    });
    this.#doorbell = doorbell;
    await doorbell.listen(this.#names.channel, () => this.ring(), () => this.ring());
    this.#doorbellOk = true;
  }

  async #closeDoorbell(): Promise<void> {
    const doorbell = this.#doorbell;
    this.#doorbell = undefined;
    this.#doorbellOk = false;
    if (doorbell !== undefined) await doorbell.end({ timeout: 0 }).catch(() => undefined);
  }
}
