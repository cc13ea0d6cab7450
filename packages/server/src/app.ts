/**
 * The app factory: assembles the events server from its plugins and modules. Runtime
 * free: the Bun and Deno entries (`runtime/`) serve `app.fetch` and own signals.
 */
import { type AnyEventsContract, goaEvents } from "@events/contract";
import type { Broker, StreamBody } from "@events/sse-core";
import { Elysia } from "elysia";
import { createAllowedMethods, normalizeRoutePath } from "./allowed-methods.ts";
import { answerError, HttpError } from "./errors.ts";
import { logInternalError } from "./logging/error-log.ts";
import type { Logger } from "./logging/logger.ts";
import { isMethodStandIn, methodNotAllowed } from "./method-not-allowed.ts";
import { resolveServerOptions, type ServerOptions } from "./options.ts";
import { requestPath } from "./request-url.ts";
import { createWebModule } from "./modules/web/index.ts";
import { createCorsPlugin } from "./plugins/cors.ts";
import { authOptionsOf, DEFAULT_EVENTS_PLUGIN_OPTIONS, sharedServerOptions } from "./plugins/events-plugin-options.ts";
import { authEnabled } from "./auth/auth-options.ts";
import { eventsPlugin } from "./plugins/events-plugin.ts";

/** Options of {@link createApp}: the server options plus what an embedding program injects. */
export interface AppOptions extends Omit<Partial<ServerOptions>, "broker" | "contract" | "logLevel" | "logFormat"> {
  /** The broker to use. @default a new `MemoryBroker` with `historySize` events, closed at shutdown */
  readonly broker?: Broker;
  /** Abort to shut down: every stream ends (clients reconnect elsewhere) and new ones get 503. @default never */
  readonly signal?: AbortSignal;
  /** Receives errors that became a 500 (the answer never carries their details). @default ignore */
  readonly onInternalError?: (error: unknown) => void;
  /**
   * The event types to serve (`defineEvents(...)`, e.g. loaded by `--contract`): publishes are
   * held to them. Without one the server serves the Goa contract and accepts any event name with
   * any JSON data on `POST /events/publish`, as before contracts existed. (`--contract` is read
   * by the runtime entries, which load the module and pass it here.) @default none
   */
  readonly events?: AnyEventsContract;
  /**
   * Receives the app's log lines: each stream's line when it ends, and each error answered 500
   * with its stack (the runtime entries pass theirs, built from `--log-level` and `--log-format`,
   * and log the other requests around `app.fetch`). @default none: the app logs nothing
   */
  readonly logger?: Logger;
  /** Serve the process's figures (CPU, memory, descriptors, event-loop delay) on `/metrics` too. @default true */
  readonly processMetrics?: boolean;
  /** Makes each stream's Response body (the Bun entry passes `bunDirectBody`). @default sse-core's `webStreamBody` */
  readonly streamBody?: StreamBody;
}

async function buildApp(options: AppOptions = {}) {
  const { broker, signal, onInternalError, events, logger, processMetrics, streamBody, ...serverOptions } = options;
  const resolved = resolveServerOptions(serverOptions);
  const plugin = eventsPlugin({
    ...sharedServerOptions(resolved),
    // Programmatic callers who leave it out get the plugin's interval, under Bun's idle timeout
    // (they may serve with a plain `Bun.serve({ fetch: app.fetch })`); the entries pass the flag's.
    keepAliveMs: serverOptions.keepAliveMs ?? DEFAULT_EVENTS_PLUGIN_OPTIONS.keepAliveMs,
    // `App` is typed with the Goa contract: a contract loaded at run time cannot change a compiled type.
    events: (events ?? goaEvents) as typeof goaEvents,
    validatePublishes: events !== undefined,
    ...(broker === undefined ? {} : { broker }),
    ...(signal === undefined ? {} : { signal }),
    ...(onInternalError === undefined ? {} : { onInternalError }),
    ...(logger === undefined ? {} : { logger }),
    ...(streamBody === undefined ? {} : { streamBody }),
    processMetrics: processMetrics ?? true,
    health: true,
    metrics: true,
    openapi: true,
  });
  // The page at `/` is mounted here rather than through the plugin's `web` option: without a
  // built client (or with `webRoot: false`) the standalone server still answers `/` with a page
  // saying how to build it.
  const web = await createWebModule(resolved.webRoot);

  let allowedMethods: ((path: string) => string | undefined) | undefined;
  /** A path that exists under other methods: 405 with `Allow` rather than a misleading 404. */
  const wrongMethod = (request: Request): HttpError | undefined => {
    allowedMethods ??= createAllowedMethods(app.routes.filter((route) => !isMethodStandIn(route)));
    const allow = allowedMethods(normalizeRoutePath(requestPath(request.url)));
    return allow === undefined ? undefined : methodNotAllowed(request, allow);
  };

  // normalize: false, so unknown body fields are refused (422) rather than silently dropped by
  // any route Elysia validates (the plugin's routes check their own bodies whatever the setting).
  // standardHostname: false, because Elysia 1.4 otherwise finds the path by skipping the first
  // 11 characters of the URL ("http://a.bc"), and `Host: web` (a compose service) routed nowhere.
  const app = new Elysia({ name: "events/app", normalize: false, handler: { standardHostname: false } })
    // Credentials (the auth cookie) only with auth on, and only for origins listed by name.
    .use(createCorsPlugin({ origins: resolved.corsOrigins, credentials: authEnabled(authOptionsOf(sharedServerOptions(resolved))) }))
    .use(plugin)
    // Everything else: unknown paths (404, or 405 with Allow). The plugin answers its own routes' errors.
    .onError(({ code, error, request }) => {
      const wrong = code === "NOT_FOUND" ? wrongMethod(request) : undefined;
      return answerError(wrong ?? error, code, (answered, original) => {
        if (answered.code === "INTERNAL") {
          plugin.metrics.internalErrors.inc();
          if (logger !== undefined) logInternalError(logger, original);
          onInternalError?.(original);
        }
      });
    })
    .use(web);
  return app;
}

/** The server's Elysia app type: what Eden treaty reads (`treaty<App>(url)`). */
export type App = Awaited<ReturnType<typeof buildApp>>;

/**
 * Builds the events server. Serve it with `Bun.serve({ fetch: app.fetch })`,
 * `Deno.serve(app.fetch)` or `app.handle(request)`. Async because the static web client
 * is indexed once at start-up.
 * @throws {ServerOptionsError} `INVALID_OPTION` for an option out of range.
 * @example
 * const controller = new AbortController();
 * const app = await createApp({ maxClients: 100, signal: controller.signal });
 * const server = Bun.serve({ port: 0, fetch: app.fetch });
 */
export function createApp(options: AppOptions = {}): Promise<App> {
  return buildApp(options);
}
