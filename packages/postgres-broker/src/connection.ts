import postgres from "postgres";
import type { PostgresSql, ResolvedPostgresBrokerOptions } from "./options.ts";

/** The longest wait, in seconds, before reconnecting after a failed connection attempt. */
const MAX_RECONNECT_DELAY_S = 1;

/**
 * Seconds to wait before the next connection attempt after `retries` failed ones: 50 ms doubling
 * up to {@link MAX_RECONNECT_DELAY_S}. The driver's default grows to 20 s (its retries are shared
 * by the pool and only reset by a successful connection), and a query waits that long before its
 * connection is even attempted: publishes hung for seconds during an outage, and for up to
 * 20 s after the database was back.
 */
function reconnectDelay(retries: number): number {
  return Math.min(0.05 * 2 ** Math.min(retries, 10), MAX_RECONNECT_DELAY_S);
}

/** Settings every connection the broker opens shares: no notice printing, fail fast on connect, reconnect soon. */
function baseSettings(options: ResolvedPostgresBrokerOptions): {
  onnotice: () => void;
  connect_timeout: number;
  backoff: (retries: number) => number;
} {
  return { onnotice: ignore, connect_timeout: Math.max(1, Math.ceil(options.connectTimeoutMs / 1000)), backoff: reconnectDelay };
}

/** The pool the broker opens from `url` (when the app gave none). */
export function openPool(url: string, options: ResolvedPostgresBrokerOptions): PostgresSql {
  return postgres(url, { ...baseSettings(options), max: options.poolSize, idle_timeout: 60 });
}

/**
 * A one-connection client to the same database as `sql`, for `LISTEN`. From `url` when the
 * broker has it; else from the app pool's parsed options, spread into a new client: the driver
 * builds its own listen client the same way (postgres 3.4 `src/index.js`, `listen`).
 */
export function openListenConnection(sql: PostgresSql, options: ResolvedPostgresBrokerOptions, onClose: () => void): PostgresSql {
  // idle_timeout 0 and max_lifetime 0: the LISTEN connection is never closed for idling or age.
  const settings = { ...baseSettings(options), max: 1, idle_timeout: 0, max_lifetime: 0, fetch_types: false, onclose: onClose };
  if (options.url !== undefined) return postgres(options.url, settings);
  const inherited = { ...sql.options } as unknown as postgres.Options<Record<string, postgres.PostgresType>>;
  return postgres({ ...inherited, ...settings } as postgres.Options<Record<string, postgres.PostgresType>>);
}

function ignore(): void {}
