/**
 * The options of {@link eventsPlugin}: the server's tunables it shares (checked by the same
 * rules as the flags) and what only an embedded plugin is told.
 */
import type { AnyEventsContract } from "@events/contract";
import type { Broker, StreamBody } from "@events/sse-core";
import type { Logger } from "../logging/logger.ts";
import type { AuthOptions } from "../auth/auth-options.ts";
import type { AuthorizeHook } from "../auth/types.ts";
import type { ServerOptions } from "../options.ts";
import { ServerOptionsError } from "../server-options-error.ts";

/** The server options the plugin shares; each defaults as in {@link ServerOptions} unless said below. */
export type SharedServerOptions = Pick<
  ServerOptions,
  | "historySize"
  | "historyBytes"
  | "historyTtlMs"
  | "maxRetainedTopics"
  | "defaultTopic"
  | "maxTopics"
  | "keepAliveMs"
  | "retryMs"
  | "maxClients"
  | "maxBodyBytes"
  | "maxBatch"
  | "maxBufferBytes"
  | "triggerToken"
  | "corsOrigins"
  | "jwtSecret"
  | "jwtPublicKey"
  | "jwksUrl"
  | "jwtIssuer"
  | "jwtAudience"
  | "jwtClaim"
  | "publicTopics"
  | "authCookie"
  | "allowQueryToken"
>;

/** The options of a complete {@link ServerOptions} the plugin takes. */
export function sharedServerOptions(options: ServerOptions): SharedServerOptions {
  return {
    historySize: options.historySize,
    historyBytes: options.historyBytes,
    historyTtlMs: options.historyTtlMs,
    maxRetainedTopics: options.maxRetainedTopics,
    defaultTopic: options.defaultTopic,
    maxTopics: options.maxTopics,
    keepAliveMs: options.keepAliveMs,
    retryMs: options.retryMs,
    maxClients: options.maxClients,
    maxBodyBytes: options.maxBodyBytes,
    maxBatch: options.maxBatch,
    maxBufferBytes: options.maxBufferBytes,
    triggerToken: options.triggerToken,
    corsOrigins: options.corsOrigins,
    jwtSecret: options.jwtSecret,
    jwtPublicKey: options.jwtPublicKey,
    jwksUrl: options.jwksUrl,
    jwtIssuer: options.jwtIssuer,
    jwtAudience: options.jwtAudience,
    jwtClaim: options.jwtClaim,
    publicTopics: options.publicTopics,
    authCookie: options.authCookie,
    allowQueryToken: options.allowQueryToken,
  };
}

/**
 * The auth options of a server or plugin configuration: auth is on when one of the keys,
 * `authorize` or public topics is set ({@link authEnabled}); the trigger token is then one
 * more credential (publish anywhere).
 */
export function authOptionsOf(options: SharedServerOptions, authorize?: AuthorizeHook): AuthOptions {
  return {
    jwtSecret: options.jwtSecret,
    jwtPublicKey: options.jwtPublicKey,
    jwksUrl: options.jwksUrl,
    jwtIssuer: options.jwtIssuer,
    jwtAudience: options.jwtAudience,
    claim: options.jwtClaim,
    publicTopics: options.publicTopics,
    authCookie: options.authCookie,
    allowQueryToken: options.allowQueryToken,
    triggerToken: options.triggerToken,
    ...(authorize === undefined ? {} : { authorize }),
  };
}

/** Options of {@link eventsPlugin}. Every field is optional. */
export interface EventsPluginOptions<Contract extends AnyEventsContract, Prefix extends string> extends Partial<SharedServerOptions> {
  /** The app's event types (`defineEvents(...)`): what publishes are held to and typed by. @default goaEvents (`message`) */
  readonly events?: Contract;
  /** Where the routes live: `{prefix}/stream`, `{prefix}/publish`, `{prefix}/trigger`. `""` mounts them at the root. @default "/events" */
  readonly prefix?: Prefix;
  /** The broker. @default a new `MemoryBroker` with the history options, closed when `signal` aborts */
  readonly broker?: Broker;
  /**
   * Holds publishes (HTTP and in-process) and triggers to the contract: unknown event names,
   * topics outside an event type's patterns and data that does not match its schema are refused.
   * `false` accepts any event name with any JSON data, as the standalone server without
   * `--contract` does (the types still follow the contract). @default true
   */
  readonly validatePublishes?: boolean;
  /**
   * Interval of the keepalive comment, in milliseconds; `false` sends none. Under Bun's default
   * idle timeout (10 s), which closes a quiet connection even mid-stream when the server is not
   * reachable from the request (`Bun.serve({ fetch: app.fetch })`). @default 5000
   */
  readonly keepAliveMs?: number | false;
  /**
   * The app's own authorization (its sessions, API keys), asked once per stream open, publish
   * or trigger: return `{ subscribe, publish }` topic patterns for this request's user (a
   * stream's topics must be covered, a publish's topics matched, else 403), or `undefined` to
   * fall back to the token (then the public topics). Setting it turns auth on. @default none
   * @example
   * eventsPlugin({ authorize: (request) => {
   *   const user = sessions.get(request);
   *   return user && { subscribe: user.orderIds.map((id) => `orders/${id}`), publish: [] };
   * } })
   */
  readonly authorize?: AuthorizeHook;
  /**
   * Origins (besides the server's own) whose pages may publish with the auth cookie: the CSRF
   * check of cookie-authenticated writes. The plugin sends no CORS headers itself (the host
   * does): give it the host's CORS allow-list. `"*"` trusts no one. @default false
   */
  readonly corsOrigins?: readonly string[] | false;
  /** Abort to shut down: every stream ends and new ones get 503. @default never */
  readonly signal?: AbortSignal;
  /** Receives errors the plugin's routes answered with 500 INTERNAL. @default ignore */
  readonly onInternalError?: (error: unknown) => void;
  /** Serve `GET /healthz` (at the root, not under the prefix). @default false */
  readonly health?: boolean;
  /**
   * Serve `GET /metrics` in the Prometheus text format (at the root). Left `false`, the figures
   * are still counted: serve them from the host's own endpoint with `plugin.metrics.render()`.
   * @default false
   */
  readonly metrics?: boolean;
  /**
   * Add the process's figures (`process_cpu_seconds_total`, `process_resident_memory_bytes`,
   * `process_open_fds`, `process_start_time_seconds`, `process_event_loop_delay_seconds`) to the
   * plugin's metrics. Off by default: a host's own registry usually has them already (e.g.
   * prom-client's default metrics, under the same names). @default false
   */
  readonly processMetrics?: boolean;
  /**
   * Receives the plugin's log lines: one `info` line per stream when it ends (method, path,
   * status, lifetime in `ms`, close `reason`, `topics`), and an `error` line with the stack for
   * each error its routes answered 500. The plugin never writes to the console. @default none
   */
  readonly logger?: Logger;
  /**
   * Serve `/openapi.json` for the plugin's routes. A host with its own `@elysiajs/openapi` needs
   * none: the plugin's routes carry their documentation into the host's document. @default false
   */
  readonly openapi?: boolean;
  /**
   * Serve the built web client at `/`: `true` for `packages/web/dist`, or its folder. Loaded
   * asynchronously: `await app.modules` before serving. @default false
   */
  readonly web?: boolean | string;
  /**
   * Makes each stream's Response body. On a host served by `Bun.serve` directly, pass
   * `bunDirectBody` (exported by `@events/server`): Bun's direct stream, ~4% less CPU per
   * delivery; keep the default when the host reads or wraps response bodies itself (its
   * middleware, or `app.handle` in tests): a direct body read in JavaScript takes Bun's slower path.
   * @default sse-core's `webStreamBody` (a Web `ReadableStream`, on every runtime)
   */
  readonly streamBody?: StreamBody;
}

/** The plugin's own defaults (the others are {@link ServerOptions}'). */
export const DEFAULT_EVENTS_PLUGIN_OPTIONS: Readonly<{ prefix: "/events"; keepAliveMs: number; validatePublishes: true }> = Object.freeze({
  prefix: "/events",
  keepAliveMs: 5000,
  validatePublishes: true,
});

/** Path segments of a prefix: the characters of a topic name, minus `:` and `@`, which Elysia's router reads. */
const PREFIX = /^(?:\/[A-Za-z0-9._~-]+)*\/?$/;

/**
 * A prefix as the routes use it: no trailing slash, `""` for the root.
 * @throws {ServerOptionsError} `INVALID_OPTION` for one that is not `/segment/...` or `""`.
 */
export function resolvePrefix(prefix: string): string {
  if (!PREFIX.test(prefix)) {
    throw new ServerOptionsError(
      "INVALID_OPTION",
      `eventsPlugin option prefix must be "" or a path like "/events" or "/api/events" (letters, digits and -._~ per segment; got ${JSON.stringify(prefix)})`,
    );
  }
  return prefix.replace(/\/+$/, "");
}
