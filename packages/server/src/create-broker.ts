/**
 * Builds the broker `--broker` names: the in-memory one (embedded default) or the Redis
 * Streams one from `@events/redis-broker`, loaded only when asked for.
 */
import { type Broker, MemoryBroker } from "@events/sse-core";
import type { ServerOptions } from "./options.ts";

/** What {@link createBroker} reads. */
export type BrokerSelection = Pick<ServerOptions, "broker" | "historySize" | "redisUrl" | "redisStreamKey">;

/** Extra wiring for the broker. */
export interface CreateBrokerHooks {
  /** Receives background broker errors (Redis lost, ...). @default ignore */
  readonly onError?: (error: unknown) => void;
}

interface RedisBrokerModule {
  RedisBroker: new (options: { url: string; streamKey: string; historySize: number; onError?: (error: unknown) => void }) => Broker;
}

/**
 * Creates the selected broker. The Redis package is imported dynamically, so a node using
 * the memory broker never loads a Redis client.
 * @throws {Error} when `broker` is `"redis"` and `@events/redis-broker` cannot be loaded.
 * @example
 * const broker = await createBroker({ broker: "memory", historySize: 1000, redisUrl: "", redisStreamKey: "" });
 */
export async function createBroker(selection: BrokerSelection, hooks: CreateBrokerHooks = {}): Promise<Broker> {
  if (selection.broker === "memory") return new MemoryBroker({ historySize: selection.historySize });
  const specifier = "@events/redis-broker";
  let module: RedisBrokerModule;
  try {
    module = (await import(specifier)) as RedisBrokerModule;
  } catch (error) {
    throw new Error(
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
    ...(hooks.onError === undefined ? {} : { onError: hooks.onError }),
  });
}
