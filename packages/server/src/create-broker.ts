/**
 * Builds the broker `--broker` names: the in-memory one (embedded default), the Redis Streams
 * one from `@events/redis-broker` or the Postgres one from `@events/postgres-broker`, each
 * loaded only when asked for.
 */
import { type Broker, MemoryBroker, type MemoryBrokerOptions } from "@events/sse-core";
import { maskUrlPassword } from "./logging/effective-config.ts";
import type { ServerOptions } from "./options.ts";
import { ServerOptionsError } from "./server-options-error.ts";

/** What {@link createBroker} reads. */
export type BrokerSelection = Pick<ServerOptions, "broker" | "historySize" | "redisUrl" | "redisStreamKey"> &
  Partial<Pick<ServerOptions, "historyBytes" | "historyTtlMs" | "maxRetainedTopics" | "postgresUrl" | "postgresTable">>;

/** Extra wiring for the broker. */
export interface CreateBrokerHooks {
  /** Receives background broker errors (Redis or Postgres lost, ...). @default ignore */
  readonly onError?: (error: unknown) => void;
  /** Loads `@events/redis-broker` (tests pass a failing one). @default a dynamic `import()` */
  readonly loadRedisBroker?: () => Promise<RedisBrokerModule>;
  /** Loads `@events/postgres-broker` (tests pass a fake one). @default a dynamic `import()` */
  readonly loadPostgresBroker?: () => Promise<PostgresBrokerModule>;
  /** The longest the Postgres broker's start-up (connect, create the schema) may take, in milliseconds. @default 10000 */
  readonly startTimeoutMs?: number;
}

/** What {@link createBroker} needs of `@events/redis-broker`. */
export interface RedisBrokerModule {
  RedisBroker: new (options: {
    url: string;
    streamKey: string;
    historySize: number;
    historyTtlMs?: number | false;
    maxRetainedTopics?: number;
    onError?: (error: unknown) => void;
  }) => Broker;
}

/** What {@link createBroker} needs of `@events/postgres-broker`: the broker, and its start-up step. */
export interface PostgresBrokerModule {
  PostgresBroker: new (options: {
    url: string;
    table: string;
    historySize: number;
    historyTtlMs?: number | false;
    maxRetainedTopics?: number;
    onError?: (error: unknown) => void;
  }) => Broker & { ready(): Promise<void> };
}

/**
 * The memory broker's options from the server's: history per topic by count and age, per node
 * by bytes and retained topics. Options left out keep the broker's defaults.
 */
export function memoryBrokerOptions(selection: Omit<BrokerSelection, "broker" | "redisUrl" | "redisStreamKey">): MemoryBrokerOptions {
  return {
    historySize: selection.historySize,
    ...(selection.historyBytes === undefined ? {} : { historyBytes: selection.historyBytes }),
    ...(selection.historyTtlMs === undefined ? {} : { historyTtlMs: selection.historyTtlMs }),
    ...(selection.maxRetainedTopics === undefined ? {} : { maxRetainedTopics: selection.maxRetainedTopics }),
  };
}

/**
 * Creates the selected broker. The Redis and Postgres packages are imported dynamically, so a
 * node using the memory broker never loads a database client. The Postgres broker is started
 * here (it connects and creates or migrates its table), so a server that cannot use its
 * database fails at start-up, not at its first request.
 * @throws {ServerOptionsError} `BROKER_NOT_INSTALLED` when the chosen broker's package cannot
 *   be loaded; `BROKER_UNREACHABLE` when Postgres cannot be reached or its table set up.
 * @example
 * const broker = await createBroker({ broker: "memory", historySize: 1000, redisUrl: "", redisStreamKey: "" });
 */
export async function createBroker(selection: BrokerSelection, hooks: CreateBrokerHooks = {}): Promise<Broker> {
  if (selection.broker === "memory") return new MemoryBroker(memoryBrokerOptions(selection));
  const history = {
    historySize: selection.historySize,
    ...(selection.historyTtlMs === undefined ? {} : { historyTtlMs: selection.historyTtlMs }),
    ...(selection.maxRetainedTopics === undefined ? {} : { maxRetainedTopics: selection.maxRetainedTopics }),
    ...(hooks.onError === undefined ? {} : { onError: hooks.onError }),
  };
  if (selection.broker === "redis") {
    const module = await loadBrokerModule("redis", hooks.loadRedisBroker ?? importRedisBroker);
    return new module.RedisBroker({ url: selection.redisUrl, streamKey: selection.redisStreamKey, ...history });
  }
  const url = selection.postgresUrl;
  if (url === undefined || url === false) {
    throw new ServerOptionsError("INVALID_OPTION", "--broker postgres needs --postgres-url URL or DATABASE_URL");
  }
  const module = await loadBrokerModule("postgres", hooks.loadPostgresBroker ?? importPostgresBroker);
  const table = selection.postgresTable ?? "events_history";
  const broker = new module.PostgresBroker({ url, table, ...history });
  await startPostgres(broker, url, table, hooks.startTimeoutMs ?? 10_000);
  return broker;
}

async function startPostgres(broker: Broker & { ready(): Promise<void> }, url: string, table: string, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([broker.ready(), timeout]);
  } catch (error) {
    // Its pool may hold a half-open connection; a server that cannot start must not keep it.
    await broker.close().catch(() => undefined);
    throw new ServerOptionsError(
      "BROKER_UNREACHABLE",
      `--broker postgres cannot use Postgres at ${maskUrlPassword(url)} to set up table "${table}" (${firstLine(error)}); check that it runs and that --postgres-url or DATABASE_URL names a database this user may create tables in`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}

async function loadBrokerModule<T>(name: "redis" | "postgres", load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new ServerOptionsError(
      "BROKER_NOT_INSTALLED",
      `--broker ${name} needs the @events/${name}-broker package, which could not be loaded (${firstLine(error)}); run bun install at the repo root`,
      { cause: error },
    );
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}

async function importRedisBroker(): Promise<RedisBrokerModule> {
  // Imported only when asked for: a node on the memory broker never loads a Redis client.
  const specifier = "@events/redis-broker";
  return (await import(specifier)) as RedisBrokerModule;
}

async function importPostgresBroker(): Promise<PostgresBrokerModule> {
  const specifier = "@events/postgres-broker";
  return (await import(specifier)) as PostgresBrokerModule;
}
