import {
  assertValidEventName,
  type Broker,
  type BrokerHealth,
  createStoredEvent,
  matchesTopic,
  normalizeLastEventId,
  type PublishInput,
  RemoteFanOut,
  resolvePublishBatch,
  resolvePublishTopics,
  resolveSubscribeTopics,
  type StoredEvent,
  type SubscribedTopic,
  type SubscribeOptions,
  type SubscriberHandlers,
  type Subscription,
  type TopicDelivery,
} from "@events/sse-core";
import { openPool } from "./connection.ts";
import { closedError, publishFailure, reasonOf, redactUrl, unavailable } from "./errors.ts";
import { comparePositions, formatPostgresEventId, parsePostgresEventId, type Position } from "./event-id.ts";
import {
  type PostgresBrokerOptions,
  type PostgresSql,
  type PostgresTransaction,
  type ResolvedPostgresBrokerOptions,
  resolvePostgresBrokerOptions,
} from "./options.ts";
import { positionOf, readPlan, type ResumeRequest } from "./resume.ts";
import { ensureSchema, schemaNames, type SchemaNames } from "./schema.ts";
import { type EventRow, TableReader } from "./table-reader.ts";
import { TableWriter } from "./table-writer.ts";
import { Trimmer } from "./trimmer.ts";

/** Options of one {@link PostgresBroker.publish}. */
export interface PostgresPublishOptions {
  /**
   * Store the event inside this transaction (the `tx` of the app's `sql.begin(async (tx) => …)`):
   * subscribers receive it once the transaction commits, never if it rolls back. The returned
   * event's id is final, but it is not delivered before the commit.
   * @default none (the event is stored in a statement of its own)
   */
  readonly tx?: PostgresTransaction | undefined;
}

/**
 * A {@link Broker} on PostgreSQL: one table is the event history all nodes share, and an event
 * can be stored in the app's own transaction (`publish(input, { tx })`), delivered if and only
 * if that transaction commits.
 *
 * Every publish inserts one row per topic of the event (same position) and rings a doorbell
 * (`NOTIFY <table>`, empty payload, sent by PostgreSQL at commit). Each node runs one reader
 * that wakes on the doorbell (and polls, in case one is missed), reads the rows after its cursor
 * that are final (`txid < pg_snapshot_xmin(pg_current_snapshot())`: no open transaction can
 * still add a row before them) in position order, and fans them out to its subscribers through a
 * `TopicIndex`, encoding each frame once. Ids are `<epoch>-<txid>-<seq>`: positions order by the
 * storing transaction's id, so an event committed late is never passed by a reader's cursor.
 * A background job trims each topic to `historySize` events (and `historyTtlMs`), in small
 * batches, outside publishers' transactions.
 *
 * @example
 * ```ts
 * const sql = postgres(process.env.DATABASE_URL);
 * const broker = new PostgresBroker({ sql });
 * await broker.ready();
 * await sql.begin(async (tx) => {
 *   await tx`update orders set state = 'paid' where id = ${42}`;
 *   await broker.publish({ topics: ["orders/42"], event: "order.updated", data: JSON.stringify({ state: "paid" }) }, { tx });
 * });
 * ```
 */
export class PostgresBroker implements Broker {
  /** The options this broker runs with, defaults filled in. */
  readonly options: ResolvedPostgresBrokerOptions;
  readonly #sql: PostgresSql;
  readonly #ownsPool: boolean;
  readonly #names: SchemaNames;
  readonly #where: string;
  readonly #reader: TableReader;
  readonly #writer: TableWriter;
  readonly #trimmer: Trimmer;
  /** The local subscribers; it also keeps recently fanned-out events, so a replay reuses their frames. */
  readonly #fanOut: RemoteFanOut<Position>;
  #ready: Promise<void> | undefined;
  #lastError: string | undefined;
  #closed = false;

  /**
   * Opens the pool (from `url`) or takes the app's (`sql`) and starts creating the schema in
   * the background (see {@link ready}); never throws for the database being down.
   * @throws {SseError} `INVALID_OPTION` for bad options (neither `url` nor `sql`, a bad table name).
   */
  constructor(options: PostgresBrokerOptions) {
    this.options = resolvePostgresBrokerOptions(options);
    const { url, sql, table } = this.options;
    this.#ownsPool = sql === undefined;
    this.#sql = sql ?? openPool(url as string, this.options);
    this.#names = schemaNames(table);
    this.#fanOut = new RemoteFanOut<Position>({
      compare: comparePositions,
      recentSize: this.options.historySize,
      onError: (error) => this.options.onError(error),
    });
    this.#where = `${url === undefined ? "the app's pool" : redactUrl(url)} table ${table}`;
    this.#writer = new TableWriter(this.#names, this.options, (id) => this.#fanOut.recent(id));
    this.#reader = new TableReader(this.#sql, this.#names, this.options, {
      onRows: (rows, epoch) => this.#fanOutRows(rows, epoch),
      onEpochChange: (epoch) => {
        void epoch;
        this.#fanOut.forgetRecent();
        // Positions of the old history mean nothing: clients resume and get an other-epoch gap.
        this.#fanOut.endAll();
      },
      onError: (error) => {
        this.#lastError = reasonOf(error);
        this.options.onError(error);
      },
    });
    this.#trimmer = new Trimmer(this.#sql, this.#names, this.options);
    this.ready().catch(() => {
      // Reported by health() and retried by the next publish or subscribe.
    });
  }

  /** The number of subscriptions on this node. */
  get subscriberCount(): number {
    return this.#fanOut.size;
  }

  /**
   * Creates or migrates the schema (idempotent; nodes starting together wait on an advisory
   * lock) and starts the trimming job. Publish and subscribe wait for it; call it at start-up to
   * fail early. Rejects with `BROKER_UNAVAILABLE` when the database cannot be reached (a later
   * call retries).
   */
  ready(): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    this.#ready ??= ensureSchema(this.#sql, this.#names).then(
      () => {
        this.#lastError = undefined;
        if (!this.#closed) this.#trimmer.start();
      },
      (error: unknown) => {
        this.#ready = undefined;
        this.#lastError = reasonOf(error);
        throw unavailable("create the history table", this.#where, error);
      },
    );
    return this.#ready;
  }

  /**
   * Stores the event in each of its topics' history. Without `tx` it is committed when this
   * resolves and every node's subscribers receive it; with `tx` it is part of that transaction
   * and is delivered when (and only if) it commits.
   * Rejects with `BROKER_UNAVAILABLE` when it was surely not stored, `PUBLISH_UNCONFIRMED` when
   * the connection dropped before the commit was confirmed, `BROKER_CLOSED` after
   * {@link close}, `INVALID_EVENT_NAME` and `INVALID_TOPIC` for bad input.
   * With an `idempotencyKey` stored within `idempotencyWindowMs` it stores and delivers nothing
   * and resolves with the first event (its id always; its fields while history holds it, else
   * this input's). The key is claimed in the same statement (and transaction) as the event: a
   * publish whose transaction rolls back frees it, and a repeat waits while the first's
   * transaction is still open.
   */
  async publish(input: PublishInput, options: PostgresPublishOptions = {}): Promise<StoredEvent> {
    if (this.#closed) throw closedError();
    const topics = resolvePublishTopics(input.topics);
    const event = input.event ?? "message";
    assertValidEventName(event);
    await this.ready();
    const db = (options.tx ?? this.#sql) as PostgresSql;
    const key = input.idempotencyKey;
    let stored: StoredEvent;
    try {
      stored = key === undefined ? await this.#writer.store(db, event, input.data, topics) : await this.#writer.storeOnce(db, key, event, input.data, topics);
    } catch (error) {
      throw publishFailure(this.#where, error);
    }
    this.#lastError = undefined;
    return stored;
  }

  /**
   * Stores several events in one statement, all or none, and resolves with them in input order.
   * Without `tx` they are committed together when this resolves; with `tx` they are part of that
   * transaction (delivered when, and only if, it commits). They share one transaction id and take
   * consecutive positions in input order, and each subscriber receives them in that order. Every
   * input is checked first (`INVALID_TOPIC`, `INVALID_EVENT_NAME` naming its index,
   * `INVALID_OPTION` for an `idempotencyKey`). Rejects as {@link publish} otherwise.
   */
  async publishBatch(inputs: readonly PublishInput[], options: PostgresPublishOptions = {}): Promise<StoredEvent[]> {
    if (this.#closed) throw closedError();
    const events = resolvePublishBatch(inputs);
    if (events.length === 0) return [];
    await this.ready();
    const db = (options.tx ?? this.#sql) as PostgresSql;
    let stored: StoredEvent[];
    try {
      stored = await this.#writer.storeBatch(db, events);
    } catch (error) {
      throw publishFailure(this.#where, error);
    }
    this.#lastError = undefined;
    return stored;
  }

  /**
   * Subscribes to `options.topics` from an optional Last-Event-ID: calls `onOpen` (with the gap
   * notice, if any), delivers the replay, then live events, with no hole and no duplicate even
   * while publishes race the subscribe. Rejects with `INVALID_TOPIC_PATTERN` for a bad topic
   * list, `BROKER_UNAVAILABLE` while the database is unreachable and `BROKER_CLOSED` after
   * {@link close}.
   */
  async subscribe(handlers: SubscriberHandlers, options: SubscribeOptions = {}): Promise<Subscription> {
    if (this.#closed) throw closedError();
    const subscribed = resolveSubscribeTopics(options.topics);
    const request = parseRequest(normalizeLastEventId(options.lastEventId));
    await this.ready();
    // The reader's start is fixed before the replay is read, so it delivers every later row.
    await this.#reader.start().catch((error: unknown) => {
      throw this.#closed ? closedError() : unavailable("read the history", this.#where, error);
    });
    // Registered before the replay is read: live rows arriving meanwhile wait behind it.
    const subscriber = this.#fanOut.add(handlers, subscribed);
    try {
      const plan = await readPlan(this.#sql, this.#names, request, subscribed, this.options.historyTtlMs).catch((error: unknown) => {
        throw unavailable("read the history", this.#where, error);
      });
      if (this.#closed) throw closedError();
      const replay: TopicDelivery[] = [];
      for (const row of plan.replay) {
        const delivery = this.#delivery(row, plan.epoch, subscribed);
        if (delivery !== undefined) replay.push(delivery);
      }
      const opening = subscriber.replay(plan.cursor, plan.gap, replay);
      // Rows of transactions older than liveFromTxid (the positions before `liveFromTxid-0`, as no seq is
      // below 0) were final when the replay was read; rows at or before `after` were in it or precede the resume id.
      const buffered = subscriber.goLive({ from: { txid: plan.liveFromTxid, seq: 0n }, after: plan.after });
      for (const { event, topic, position } of buffered) subscriber.deliver(event, topic, position);
      return this.#fanOut.subscription(subscriber, opening);
    } catch (error) {
      this.#fanOut.remove(subscriber);
      throw this.#closed ? closedError() : error;
    }
  }

  /** `ok` while the database answers; `detail` names the table, the reader's state and the last error. */
  health(): BrokerHealth {
    if (this.#closed) return { ok: false, detail: "postgres: closed" };
    const error = this.#lastError ?? this.#reader.lastError;
    if (error !== undefined) return { ok: false, detail: `postgres: unavailable (${error}), ${this.#where}` };
    const reader = this.#reader.connected ? `reader at ${this.#reader.cursor.txid}-${this.#reader.cursor.seq}` : "reader idle";
    return { ok: true, detail: `postgres: connected, ${this.#where}, ${reader}, ${this.#fanOut.size} subscribers` };
  }

  /**
   * Ends every subscription (calling its `onClose`), stops the reader and the trimming job, and
   * ends the pool the broker opened (never the app's `sql`).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#fanOut.endAll();
    await this.#reader.stop();
    await this.#trimmer.stop();
    if (this.#ownsPool) await this.#sql.end({ timeout: 1 }).catch(() => undefined);
  }

  #delivery(row: EventRow, epoch: string, subscribed: readonly SubscribedTopic[]): TopicDelivery | undefined {
    const event = this.#event(row, epoch);
    if (event === undefined) return undefined;
    const topic = event.topics.find((name) => subscribed.some(({ pattern }) => matchesTopic(pattern, name)));
    return topic === undefined ? undefined : { event, topic };
  }

  #event(row: EventRow, epoch: string): StoredEvent | undefined {
    const id = formatPostgresEventId(epoch, positionOf(row));
    const known = this.#fanOut.recent(id);
    if (known !== undefined) return known;
    try {
      return createStoredEvent(id, row.event, row.data, row.topics);
    } catch (error) {
      this.options.onError(error);
      return undefined;
    }
  }

  #fanOutRows(rows: readonly EventRow[], epoch: string): void {
    for (const row of rows) {
      const event = this.#event(row, epoch);
      if (event !== undefined) this.#fanOut.fanOut(event, positionOf(row));
    }
  }
}

function parseRequest(lastEventId: string | undefined): ResumeRequest {
  if (lastEventId === undefined) return { kind: "fresh" };
  const parsed = parsePostgresEventId(lastEventId);
  if (parsed === undefined) return { kind: "malformed", id: lastEventId };
  return { kind: "id", id: lastEventId, epoch: parsed.epoch, position: parsed };
}
