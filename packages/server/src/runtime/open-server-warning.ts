/**
 * The start-up warning of an open server: without auth anyone who reaches the port reads every
 * topic (the Goa demo's behaviour, fine on a laptop). Said once, by the runtime entries, only
 * when the server binds an address other machines may reach.
 */
import { authEnabled } from "../auth/auth-options.ts";
import type { ServerOptions } from "../options.ts";
import { authOptionsOf, sharedServerOptions } from "../plugins/events-plugin-options.ts";

/** Whether `host` is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/**
 * The warning to log at start-up, or undefined when auth is on or the server binds a loopback
 * address.
 * @example
 * const warning = openServerWarning(options);
 * if (warning !== undefined) logger.warn(warning);
 */
export function openServerWarning(options: ServerOptions): string | undefined {
  if (isLoopbackHost(options.host) || authEnabled(authOptionsOf(sharedServerOptions(options)))) return undefined;
  const publishing = options.triggerToken === false ? "and publish to " : "";
  return (
    `no authentication configured: anyone who reaches ${options.host}:${options.httpPort} may follow ${publishing}every topic; ` +
    "set --jwt-secret, --jwt-public-key or --jwks-url (README: Authorization), or bind --host 127.0.0.1"
  );
}
