/**
 * The app factory: assembles the events server from its plugins and modules. Runtime
 * free: the Bun and Deno entries (`runtime/`) serve `app.fetch` and own signals.
 */
import { openapi } from "@elysiajs/openapi";
import { type Broker, createKeepAliveHub, MemoryBroker } from "@events/sse-core";
import { Elysia } from "elysia";
import { memoryBrokerOptions } from "./create-broker.ts";
import { createAllowedMethods, normalizeRoutePath } from "./allowed-methods.ts";
import { answerError, HttpError } from "./errors.ts";
import { createEventsModule } from "./modules/events/index.ts";
import { EventsService } from "./modules/events/service.ts";
import { createHealthModule } from "./modules/health/index.ts";
import { createMetricsModule, createServerMetrics } from "./modules/metrics/index.ts";
import { createWebModule } from "./modules/web/index.ts";
import { resolveServerOptions, type ServerOptions } from "./options.ts";
import { requestPath } from "./request-url.ts";
import { createCorsPlugin } from "./plugins/cors.ts";

/** Options of {@link createApp}: the server options plus what an embedding program injects. */
export interface AppOptions extends Omit<Partial<ServerOptions>, "broker"> {
  /** The broker to use. @default a new `MemoryBroker` with `historySize` events, closed at shutdown */
  readonly broker?: Broker;
  /** Abort to shut down: every stream ends (clients reconnect elsewhere) and new ones get 503. @default never */
  readonly signal?: AbortSignal;
  /** Receives errors that became a 500 (the answer never carries their details). @default ignore */
  readonly onInternalError?: (error: unknown) => void;
}

async function buildApp(options: AppOptions = {}) {
  const { broker: givenBroker, signal: givenSignal, onInternalError, ...serverOptions } = options;
  const resolved = resolveServerOptions(serverOptions);
  const signal = givenSignal ?? new AbortController().signal;
  const ownsBroker = givenBroker === undefined;
  const broker = givenBroker ?? new MemoryBroker(memoryBrokerOptions(resolved));
  const keepAlive = resolved.keepAliveMs === false ? false : createKeepAliveHub({ intervalMs: resolved.keepAliveMs });
  const service = new EventsService({
    broker,
    keepAlive,
    retryMs: resolved.retryMs,
    maxClients: resolved.maxClients,
    maxBufferBytes: resolved.maxBufferBytes,
    signal,
    defaultTopic: resolved.defaultTopic,
    maxTopics: resolved.maxTopics,
  });
  const metrics = createServerMetrics({ stats: service.stats, broker });
  const reportInternal = (error: unknown): void => {
    metrics.internalErrors.inc();
    onInternalError?.(error);
  };

  signal.addEventListener(
    "abort",
    () => {
      // Streams end on the same signal; the hub's timer and an owned broker go with them.
      if (keepAlive) keepAlive.close();
      if (ownsBroker) void broker.close();
    },
    { once: true },
  );

  const web = await createWebModule(resolved.webRoot);

  let allowedMethods: ((path: string) => string | undefined) | undefined;
  /** A path that exists under other methods: 405 with `Allow` rather than a misleading 404. */
  const wrongMethod = (request: Request): HttpError | undefined => {
    allowedMethods ??= createAllowedMethods(app.routes);
    const path = normalizeRoutePath(requestPath(request.url));
    const allow = allowedMethods(path);
    if (allow === undefined) return undefined;
    return new HttpError("METHOD_NOT_ALLOWED", `${request.method} is not allowed on ${path}; use ${allow}`, {
      headers: { allow },
    });
  };

  // normalize: false, so unknown body fields are refused (422) rather than silently dropped
  // (the setting of the app that compiles the routes is the one that counts).
  // standardHostname: false, because Elysia 1.4 otherwise finds the path by skipping the first
  // 11 characters of the URL ("http://a.bc"), and `Host: web` (a compose service) routed nowhere.
  const app = new Elysia({ name: "events/app", normalize: false, handler: { standardHostname: false } })
    .use(createCorsPlugin({ origins: resolved.corsOrigins }))
    // The events module answers its own routes' errors (a scoped hook). It comes before the app's
    // hook below: Elysia runs error hooks in the order they were added, and applies a hook only to
    // routes added after it, so the app's hook never pre-empts the module's.
    .use(createEventsModule({ service, maxBodyBytes: resolved.maxBodyBytes, triggerToken: resolved.triggerToken, onInternalError: reportInternal }))
    // Everything else: unknown paths (404, or 405 with Allow) and the routes added below.
    .onError(({ code, error, request }) => {
      const wrong = code === "NOT_FOUND" ? wrongMethod(request) : undefined;
      return answerError(wrong ?? error, code, (answered, original) => {
        if (answered.code === "INTERNAL") reportInternal(original);
      });
    })
    .use(
      openapi({
        path: "/openapi",
        specPath: "/openapi.json",
        provider: null,
        exclude: { paths: ["/openapi.json"] },
        documentation: {
          info: {
            title: "events",
            version: "0.1.0",
            description: "Server-Sent Events: a resumable stream and a trigger endpoint.",
          },
        },
      }),
    )
    .use(createHealthModule({ broker, clients: () => service.stats.clients, signal }))
    .use(createMetricsModule(metrics))
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
