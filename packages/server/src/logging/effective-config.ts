/**
 * The configuration a server runs with, as log fields for its start-up line: every option
 * (flag, environment twin or default, whichever won), with its secrets masked.
 */
import type { ServerOptions } from "../options.ts";
import type { LogFields } from "./logger.ts";
import { REDACTED } from "./scrub.ts";

/** What a masked secret shows: that one is set, never what it is (the scrubber's mark, so every line reads alike). */
export const MASKED: string = REDACTED;

/** `redis://user:password@host` → `redis://user:[redacted]@host`; a URL without a password as it is. */
export function maskUrlPassword(url: string): string {
  if (URL.canParse(url) && new URL(url).password === "") return url;
  // Not through `URL.password`, which would percent-encode the brackets.
  return url.replace(/(\/\/[^/@]*:)[^/@]*@/, `$1${MASKED}@`);
}

/**
 * Every option as a log field: `false` as `off`, lists joined with commas, the trigger token
 * as `[redacted]` when one is set, the Redis URL's password as `[redacted]`.
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
