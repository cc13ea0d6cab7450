import { DEFAULT_IDEMPOTENCY_OPTIONS, type IdempotencyOptions, invalidOption, positiveInteger, resolveHistoryTtl } from "@events/sse-core";
import type postgres from "postgres";

/** A `postgres` (porsager) connection pool, as `postgres(url)` returns it. */
export type PostgresSql = postgres.Sql;

/** A transaction of a `postgres` pool: the `tx` of `sql.begin(async (tx) => …)`. */
export type PostgresTransaction = postgres.TransactionSql;

/**
 * Options of {@link PostgresBroker}. Give `url` (the broker opens its own pool) or `sql` (the
 * app's own pool, which the broker never ends); one of them is required. `idempotencyWindowMs`
 * (default 600000 ms) and `maxIdempotencyKeys` (default 100000) bound the idempotency keys kept
 * in `<table>_idempotency` (expired by the trimming job).
 */
export interface PostgresBrokerOptions extends IdempotencyOptions {
  /**
   * The database to connect to: `postgres://user:password@host:port/database`. Ignored when
   * `sql` is given. @default none (required without `sql`)
   */
  readonly url?: string | undefined;
  /**
   * An existing pool to use instead of opening one (`postgres(url)` of the `postgres` package):
   * the broker queries through it and opens one connection of it for `LISTEN`. It is not ended
   * by {@link PostgresBroker.close}. @default none (a pool of `poolSize` is opened from `url`)
   */
  readonly sql?: PostgresSql | undefined;
  /**
   * The history table (an unquoted lower-case SQL name, optionally schema-qualified:
   * `events_history`, `app.events_history`). Its companions are named after it
   * (`<table>_seq`, `<table>_meta`, `<table>_topics`) and so is the `NOTIFY` channel.
   * @default "events_history"
   */
  readonly table?: string | undefined;
  /** The number of events kept for replay **per topic** (trimmed by the background job). @default 1000 (events) */
  readonly historySize?: number | undefined;
  /**
   * The age bound of history: events older than this are never replayed and are deleted by the
   * trimming job. `false`: no age bound. @default false
   */
  readonly historyTtlMs?: number | false | undefined;
  /**
   * The most topics whose history the table keeps (all nodes together): past it, the trimming
   * job deletes the least recently published topics; a resume on one of them gets a `gap`.
   * @default 10000 (topics)
   */
  readonly maxRetainedTopics?: number | undefined;
  /**
   * How often the trimming job runs on this node (one node at a time trims, under an advisory
   * lock); it deletes in batches of `trimBatchSize` rows, never inside a publisher's transaction.
   * @default 1000 (ms)
   */
  readonly trimIntervalMs?: number | undefined;
  /** The most rows one trimming `DELETE` removes. @default 500 (rows) */
  readonly trimBatchSize?: number | undefined;
  /**
   * How often the reader looks for new rows without a `NOTIFY` (a missed doorbell, a
   * notification lost with a connection). @default 1000 (ms)
   */
  readonly pollIntervalMs?: number | undefined;
  /** The most rows one read of the reader returns. @default 500 (rows) */
  readonly readBatchSize?: number | undefined;
  /** The size of the pool the broker opens from `url` (ignored with `sql`). @default 4 (connections) */
  readonly poolSize?: number | undefined;
  /**
   * How long a publish or a subscribe waits for a connection before failing with
   * `BROKER_UNAVAILABLE`. @default 5000 (ms)
   */
  readonly connectTimeoutMs?: number | undefined;
  /**
   * Called with what goes wrong in the background (the reader or the trimmer losing the
   * database, a subscriber's handler throwing). @default ignore the error
   */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** The complete, validated options a {@link PostgresBroker} runs with. */
export interface ResolvedPostgresBrokerOptions {
  readonly url: string | undefined;
  readonly sql: PostgresSql | undefined;
  readonly table: string;
  readonly historySize: number;
  readonly historyTtlMs: number | false;
  readonly maxRetainedTopics: number;
  readonly trimIntervalMs: number;
  readonly trimBatchSize: number;
  readonly pollIntervalMs: number;
  readonly readBatchSize: number;
  readonly poolSize: number;
  readonly connectTimeoutMs: number;
  readonly idempotencyWindowMs: number;
  readonly maxIdempotencyKeys: number;
  readonly onError: (error: unknown) => void;
}

/** Defaults of {@link PostgresBrokerOptions}. */
export const DEFAULT_POSTGRES_BROKER_OPTIONS: Readonly<Omit<ResolvedPostgresBrokerOptions, "onError" | "url" | "sql">> = Object.freeze({
  table: "events_history",
  historySize: 1000,
  historyTtlMs: false,
  maxRetainedTopics: 10_000,
  trimIntervalMs: 1000,
  trimBatchSize: 500,
  pollIntervalMs: 1000,
  readBatchSize: 500,
  poolSize: 4,
  connectTimeoutMs: 5000,
  idempotencyWindowMs: DEFAULT_IDEMPOTENCY_OPTIONS.idempotencyWindowMs,
  maxIdempotencyKeys: DEFAULT_IDEMPOTENCY_OPTIONS.maxIdempotencyKeys,
});

const TABLE_NAME = /^(?:[a-z_][a-z0-9_]{0,40}\.)?[a-z_][a-z0-9_]{0,40}$/;

/**
 * Merges `options` over the defaults and validates them.
 * @throws {SseError} `INVALID_OPTION` naming the option, the rule and the value.
 */
export function resolvePostgresBrokerOptions(options: PostgresBrokerOptions): ResolvedPostgresBrokerOptions {
  const defaults = DEFAULT_POSTGRES_BROKER_OPTIONS;
  const { url, sql } = options;
  if (sql === undefined) {
    if (url === undefined) invalidOption("PostgresBroker url", "or sql is required", url, "pass url: \"postgres://user@host:5432/db\" or sql: postgres(url)");
    if (!/^postgres(?:ql)?:\/\/./.test(url)) invalidOption("PostgresBroker url", "must start with postgres:// or postgresql://", url, "e.g. postgres://postgres@127.0.0.1:5432/app");
  }
  const table = options.table ?? defaults.table;
  if (typeof table !== "string" || !TABLE_NAME.test(table)) {
    invalidOption("PostgresBroker table", "must be a lower-case SQL name (letters, digits, _; optionally schema.name)", table, "e.g. events_history");
  }
  return Object.freeze({
    url: sql === undefined ? url : undefined,
    sql,
    table,
    historySize: positive("historySize", options.historySize, defaults.historySize),
    historyTtlMs: resolveHistoryTtl("PostgresBroker", options.historyTtlMs),
    maxRetainedTopics: positive("maxRetainedTopics", options.maxRetainedTopics, defaults.maxRetainedTopics),
    trimIntervalMs: positive("trimIntervalMs", options.trimIntervalMs, defaults.trimIntervalMs),
    trimBatchSize: positive("trimBatchSize", options.trimBatchSize, defaults.trimBatchSize),
    pollIntervalMs: positive("pollIntervalMs", options.pollIntervalMs, defaults.pollIntervalMs),
    readBatchSize: positive("readBatchSize", options.readBatchSize, defaults.readBatchSize),
    poolSize: positive("poolSize", options.poolSize, defaults.poolSize),
    connectTimeoutMs: positive("connectTimeoutMs", options.connectTimeoutMs, defaults.connectTimeoutMs),
    idempotencyWindowMs: positive("idempotencyWindowMs", options.idempotencyWindowMs, defaults.idempotencyWindowMs),
    maxIdempotencyKeys: positive("maxIdempotencyKeys", options.maxIdempotencyKeys, defaults.maxIdempotencyKeys),
    onError: options.onError ?? ignore,
  });
}

function positive(name: string, value: number | undefined, fallback: number): number {
  return positiveInteger(`PostgresBroker ${name}`, value, fallback);
}

function ignore(): void {}
