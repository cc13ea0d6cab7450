import postgres from "postgres";
import type { PostgresSql, ResolvedPostgresBrokerOptions } from "./options.ts";

/** Settings every connection the broker opens shares: no notice printing, fail fast on connect. */
function baseSettings(options: ResolvedPostgresBrokerOptions): { onnotice: () => void; connect_timeout: number } {
  return { onnotice: ignore, connect_timeout: Math.max(1, Math.ceil(options.connectTimeoutMs / 1000)) };
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
