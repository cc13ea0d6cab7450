/**
 * The configuration a server runs with, as log fields for its start-up line: every option
 * (flag, environment twin or default, whichever won), with its secrets masked.
 */
import type { ServerOptions } from "../options.ts";
import type { LogFields } from "./logger.ts";
import { REDACTED } from "./scrub.ts";

/** What a masked secret shows: that one is set, never what it is (the scrubber's mark, so every line reads alike). */
export const MASKED: string = REDACTED;

/**
 * `redis://user:password@host` → `redis://user:[redacted]@host`, and a `password=` query
 * parameter (libpq's form, `postgres://host/db?password=...`) likewise; a URL without a
 * password as it is.
 */
export function maskUrlPassword(url: string): string {
  // Not through `URL.password`, which would percent-encode the brackets. The password runs to
  // the authority's last "@" (an unencoded "@" in it must not leave its tail in the line).
  return url
    .replace(/(\/\/[^/@:]*:)[^/]*@/, `$1${MASKED}@`)
    .replace(/([?&]password=)[^&#]*/gi, `$1${MASKED}`);
}

/**
 * The secrets in `options` a log line must never carry (the logger's `secrets`): the trigger
 * token, the JWT secret, and the passwords of the Redis and Postgres URLs, as written and decoded.
 * @example
 * createConsoleLogger({ ..., secrets: serverSecrets(options) });
 */
export function serverSecrets(options: Pick<ServerOptions, "triggerToken" | "redisUrl" | "postgresUrl"> & Partial<Pick<ServerOptions, "jwtSecret">>): string[] {
  const secrets: string[] = [];
  for (const secret of [options.triggerToken, options.jwtSecret]) if (typeof secret === "string" && secret !== "") secrets.push(secret);
  for (const url of [options.redisUrl, options.postgresUrl]) {
    if (url === false || !URL.canParse(url)) continue;
    const parsed = new URL(url);
    for (const password of [parsed.password, parsed.searchParams.get("password") ?? ""]) {
      if (password === "") continue;
      secrets.push(password);
      try {
        secrets.push(decodeURIComponent(password));
      } catch {
        // A malformed escape: the password as written is already listed.
      }
    }
  }
  return [...new Set(secrets)];
}

/**
 * Every option as a log field: `false` as `off`, lists joined with commas (an empty one as
 * `none`), the trigger token and the JWT secret as `[redacted]` when set, the public key as
 * `PEM` (its text is long, and says nothing an operator checks here), the Redis and Postgres
 * URLs' passwords as `[redacted]`.
 * @example
 * logger.info("configuration", describeServerOptions(options));
 */
export function describeServerOptions(options: ServerOptions): LogFields {
  const fields: Record<string, string | number> = {};
  for (const key of Object.keys(options).sort() as (keyof ServerOptions)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (key === "triggerToken" || key === "jwtSecret") fields[key] = value === false ? "off" : MASKED;
    else if (key === "jwtPublicKey") fields[key] = value === false ? "off" : "PEM";
    else if ((key === "redisUrl" || key === "postgresUrl") && typeof value === "string") fields[key] = maskUrlPassword(value);
    else if (value === false) fields[key] = "off";
    else if (Array.isArray(value)) fields[key] = value.length === 0 ? "none" : value.join(",");
    else fields[key] = typeof value === "number" ? value : String(value);
  }
  return fields;
}
