/**
 * Opens the database brokers the `brokers` scenario measures, each on a history of its own
 * (a fresh Redis stream key, a fresh Postgres table) that `close` removes afterwards, so a
 * run leaves the shared Redis and database as it found them.
 */
import { PostgresBroker } from "@events/postgres-broker";
import { RedisBroker } from "@events/redis-broker";
import type { Broker } from "@events/sse-core";
import { Redis } from "ioredis";
import postgres from "postgres";

/** The brokers the scenario compares. */
export type BrokerKind = "memory" | "redis" | "postgres";

/** A broker to measure, the version of the server behind it, and how to clean up after it. */
export interface BrokerUnderTest {
  readonly broker: Broker;
  /** E.g. `Redis 7.0.15`, `PostgreSQL 15.20`. */
  readonly version: string;
  /** Removes what the broker stored (call after `broker.close()`). */
  close(): Promise<void>;
}

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const POSTGRES_URL = process.env.POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Opens a broker of `kind`, or returns why its database cannot be used. */
export async function openBrokerUnderTest(kind: Exclude<BrokerKind, "memory">): Promise<BrokerUnderTest | string> {
  return kind === "redis" ? await openRedis() : await openPostgres();
}

async function openRedis(): Promise<BrokerUnderTest | string> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let version: string;
  try {
    await probe.connect();
    version = /redis_version:(\S+)/.exec(String(await probe.info("server")))?.[1] ?? "?";
  } catch (error) {
    probe.disconnect();
    return `no Redis at ${REDIS_URL} (${error instanceof Error ? error.message : String(error)})`;
  }
  const streamKey = `bench:brokers:${Date.now()}`;
  return {
    broker: new RedisBroker({ url: REDIS_URL, streamKey, historySize: 1000 }),
    version: `Redis ${version}`,
    async close(): Promise<void> {
      const keys = await probe.keys(`${streamKey}*`);
      if (keys.length > 0) await probe.del(...keys);
      probe.disconnect();
    },
  };
}

async function openPostgres(): Promise<BrokerUnderTest | string> {
  const admin = postgres(POSTGRES_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
  let version: string;
  try {
    const [row] = await admin`select current_setting('server_version') as version`;
    version = String(row?.version ?? "?").split(" ")[0] ?? "?";
  } catch (error) {
    await admin.end({ timeout: 1 });
    return `no PostgreSQL at ${POSTGRES_URL} (${error instanceof Error ? error.message : String(error)})`;
  }
  const table = `bench_events_${Date.now().toString(36)}`;
  const broker = new PostgresBroker({ url: POSTGRES_URL, table, historySize: 1000 });
  await broker.ready();
  return {
    broker,
    version: `PostgreSQL ${version}`,
    async close(): Promise<void> {
      // The broker's objects are all named after its table (packages/postgres-broker README).
      await admin.unsafe(`drop table if exists ${table}, ${table}_meta, ${table}_topics cascade`);
      await admin.unsafe(`drop sequence if exists ${table}_seq`);
      await admin.unsafe(`drop function if exists ${table}_new_epoch() cascade`);
      await admin.end({ timeout: 1 });
    },
  };
}
