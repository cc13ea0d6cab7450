import { createStoredEvent, type ResolvedPublish, type StoredEvent } from "@events/sse-core";
import { batchPublishStatement, storeBatch } from "./batch-publish.ts";
import { formatPostgresEventId } from "./event-id.ts";
import { keyedPublishStatement, readFirst, type StoredRow } from "./idempotent-publish.ts";
import { publishStatement } from "./publish-statement.ts";
import type { PostgresSql, ResolvedPostgresBrokerOptions } from "./options.ts";
import { positionOf } from "./resume.ts";
import type { SchemaNames } from "./schema.ts";

/** An event this node fanned out recently, by id (its frames already encoded), if it still keeps it. */
export type RecentEvent = (id: string) => StoredEvent | undefined;

/**
 * The node's writer of the history table: the statements of a publish (plain, keyed by an
 * idempotency key, or a batch) and the {@link StoredEvent}s they answer. Each statement inserts
 * one row per topic of an event and rings the doorbell (`NOTIFY`, sent at commit). It runs on
 * the `db` of each call, the broker's pool or the caller's transaction, so it is delivered when
 * (and only if) that commits.
 */
export class TableWriter {
  readonly #names: SchemaNames;
  readonly #options: ResolvedPostgresBrokerOptions;
  readonly #recent: RecentEvent;
  readonly #publishStatement: string;
  readonly #keyedPublishStatement: string;
  readonly #batchPublishStatement: string;

  constructor(names: SchemaNames, options: ResolvedPostgresBrokerOptions, recent: RecentEvent) {
    this.#names = names;
    this.#options = options;
    this.#recent = recent;
    this.#publishStatement = publishStatement(names);
    this.#keyedPublishStatement = keyedPublishStatement(names);
    this.#batchPublishStatement = batchPublishStatement(names);
  }

  /** Stores one event in each of its topics. */
  async store(db: PostgresSql, event: string, data: string, topics: readonly string[]): Promise<StoredEvent> {
    const rows = await db.unsafe(this.#publishStatement, [event, data, topics as string[]] as never[]);
    const row = rows[0] as unknown as StoredRow;
    return createStoredEvent(formatPostgresEventId(row.epoch, positionOf(row)), event, data, topics);
  }

  /** A keyed publish: stores the event, or answers the first event of the key. */
  async storeOnce(db: PostgresSql, key: string, event: string, data: string, topics: readonly string[]): Promise<StoredEvent> {
    const windowMs = this.#options.idempotencyWindowMs;
    // A key expired (deleted) between the two statements is claimed again by the next round.
    for (let attempt = 0; ; attempt += 1) {
      const rows = await db.unsafe(this.#keyedPublishStatement, [event, data, topics as string[], key, windowMs] as never[]);
      const row = rows[0] as unknown as StoredRow | undefined;
      if (row !== undefined) return createStoredEvent(formatPostgresEventId(row.epoch, positionOf(row)), event, data, topics);
      const first = await readFirst(db, this.#names, key, windowMs);
      if (first === undefined && attempt < 3) continue;
      if (first === undefined) throw new Error(`idempotency key ${JSON.stringify(key)} is held but its row cannot be read`);
      const id = formatPostgresEventId(first.epoch, positionOf(first));
      const known = this.#recent(id);
      if (known !== undefined) return known;
      if (first.event === null || first.data === null || first.topics === null) return createStoredEvent(id, event, data, topics);
      return createStoredEvent(id, first.event, first.data, first.topics);
    }
  }

  /** Stores checked events in one statement, all or none; resolves with them in input order. */
  async storeBatch(db: PostgresSql, events: readonly ResolvedPublish[]): Promise<StoredEvent[]> {
    const rows = await storeBatch(db, this.#batchPublishStatement, events);
    return events.map(({ event, data, topics }, index) => {
      const row = rows[index] as StoredRow;
      return createStoredEvent(formatPostgresEventId(row.epoch, positionOf(row)), event, data, topics);
    });
  }
}
