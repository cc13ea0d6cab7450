/**
 * Builds the broker `--broker` names: the in-memory one (embedded default) or the Redis
 * Streams one from `@events/redis-broker`, loaded only when asked for.
 */
import { type Broker, MemoryBroker, type MemoryBrokerOptions } from "@events/sse-core";
import type { ServerOptions } from "./options.ts";
import { ServerOptionsError } from "./server-options-error.ts";

/** What {@link createBroker} reads. */
export type BrokerSelection = Pick<ServerOptions, "broker" | "historySize" | "redisUrl" | "redisStreamKey"> &
  Partial<Pick<ServerOptions, "historyBytes" | "historyTtlMs" | "maxRetainedTopics">>;

/** Extra wiring for the broker. */
export interface CreateBrokerHooks {
  /** Receives background broker errors (Redis lost, ...). @default ignore */
  readonly onError?: (error: unknown) => void;
  /** Loads `@events/redis-broker` (tests pass a failing one). @default a dynamic `import()` */
  readonly loadRedisBroker?: () => Promise<RedisBrokerModule>;
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
 * Creates the selected broker. The Redis package is imported dynamically, so a node using
 * the memory broker never loads a Redis client.
 * @throws {ServerOptionsError} `BROKER_NOT_INSTALLED` when `broker` is `"redis"` and
 *   `@events/redis-broker` cannot be loaded.
 * @example
 * const broker = await createBroker({ broker: "memory", historySize: 1000, redisUrl: "", redisStreamKey: "" });
 */
export async function createBroker(selection: BrokerSelection, hooks: CreateBrokerHooks = {}): Promise<Broker> {
  if (selection.broker === "memory") return new MemoryBroker(memoryBrokerOptions(selection));
  const load = hooks.loadRedisBroker ?? importRedisBroker;
  let module: RedisBrokerModule;
  try {
    module = await load();
  } catch (error) {
    throw new ServerOptionsError(
      "BROKER_NOT_INSTALLED",
      `--broker redis needs the @events/redis-broker package, which could not be loaded (${
        error instanceof Error ? error.message.split("\n")[0] : String(error)
      }); run bun install at the repo root`,
      { cause: error },
    );
  }
  return new module.RedisBroker({
    url: selection.redisUrl,
    streamKey: selection.redisStreamKey,
    historySize: selection.historySize,
    ...(selection.historyTtlMs === undefined ? {} : { historyTtlMs: selection.historyTtlMs }),
    ...(selection.maxRetainedTopics === undefined ? {} : { maxRetainedTopics: selection.maxRetainedTopics }),
    ...(hooks.onError === undefined ? {} : { onError: hooks.onError }),
  });
}

async function importRedisBroker(): Promise<RedisBrokerModule> {
  // Imported only when asked for: a node on the memory broker never loads a Redis client.
  const specifier = "@events/redis-broker";
  return (await import(specifier)) as RedisBrokerModule;
}
