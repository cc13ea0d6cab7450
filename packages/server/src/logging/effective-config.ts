/**
 * The configuration a server runs with, as log fields for its start-up line: every option
 * (flag, environment twin or default, whichever won), with its secrets masked.
 */
import type { ServerOptions } from "../options.ts";
import type { LogFields } from "./logger.ts";

/** What a masked secret shows: that one is set, never what it is. */
export const MASKED = "***";

/** `redis://user:password@host` → `redis://user:***@host`; a URL without a password as it is. */
export function maskUrlPassword(url: string): string {
  if (!URL.canParse(url)) return url.replace(/(\/\/[^/@]*:)[^/@]*@/, `$1${MASKED}@`);
  const parsed = new URL(url);
  if (parsed.password === "") return url;
  parsed.password = MASKED;
  return parsed.href;
}

/**
 * Every option as a log field: `false` as `off`, lists joined with commas, the trigger token
 * as `***` when one is set, the Redis URL's password as `***`.
 * @example
 * logger.info("configuration", describeServerOptions(options));
 */
export function describeServerOptions(options: ServerOptions): LogFields {
  const fields: Record<string, string | number> = {};
  for (const key of Object.keys(options).sort() as (keyof ServerOptions)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (key === "triggerToken") fields[key] = value === false ? "off" : MASKED;
    else if (key === "redisUrl") fields[key] = maskUrlPassword(String(value));
    else if (value === false) fields[key] = "off";
    else if (Array.isArray(value)) fields[key] = value.join(",");
    else fields[key] = typeof value === "number" ? value : String(value);
  }
  return fields;
}
