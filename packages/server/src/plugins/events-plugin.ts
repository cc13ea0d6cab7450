/**
 * `eventsPlugin`: the events toolkit as an Elysia plugin a host app mounts with `.use()`. It
 * adds only its own routes (`{prefix}/stream`, `{prefix}/publish`, `{prefix}/trigger` when the
 * contract has `message`, and the opt-in health, metrics, OpenAPI and web routes) and only
 * local hooks: no host route is replaced, guarded or changed, and its own routes answer exactly
 * as in the standalone server whatever the host's settings. The request context gains
 * `events`, a typed publisher, which the plugin also exposes as `plugin.publisher`.
 */
import { openapi } from "@elysiajs/openapi";
import { type AnyEventsContract, goaEvents } from "@events/contract";
import { createKeepAliveHub, MemoryBroker } from "@events/sse-core";
import { type AnyElysia, Elysia } from "elysia";
import { memoryBrokerOptions } from "../create-broker.ts";
import { logInternalError } from "../logging/error-log.ts";
import { createStreamLog } from "../logging/stream-log.ts";
import { answerError } from "../errors.ts";
import { createContractCheck } from "../modules/events/contract-checker.ts";
import { createEventsModule, type EventsRoutes } from "../modules/events/index.ts";
import { createEventsPublisher, type EventsPublisher } from "../modules/events/publisher.ts";
import { EventsService } from "../modules/events/service.ts";
import { createHealthModule } from "../modules/health/index.ts";
import { createMetricsModule, createServerMetrics, type ServerMetrics } from "../modules/metrics/index.ts";
import { createWebModule } from "../modules/web/index.ts";
import { DEFAULT_SERVER_OPTIONS, resolveServerOptions } from "../options.ts";
import { authEnabled } from "../auth/auth-options.ts";
import { createAuthenticator } from "../auth/authenticator.ts";
import { createRouteGuard } from "../auth/route-guard.ts";
import { authOptionsOf, DEFAULT_EVENTS_PLUGIN_OPTIONS, type EventsPluginOptions, resolvePrefix } from "./events-plugin-options.ts";

/** Tells plugin instances apart: Elysia skips a second `.use()` of the same name and seed. */
let instances = 0;

function pluginRoutes<Contract extends AnyEventsContract, Routes extends AnyElysia>(
  publisher: EventsPublisher<Contract>,
  routes: Routes,
  onInternalError: (error: unknown) => void,
) {
  return (
    new Elysia({ name: "events", seed: ++instances })
      // Local: the plugin's own routes only (its opt-in ones included), never the host's.
      .onError(({ error, code }) =>
        answerError(error, code, (answered, original) => {
          if (answered.code === "INTERNAL") onInternalError(original);
        }),
      )
      .decorate("events", publisher)
      .use(routes)
  );
}

/** What {@link eventsPlugin} returns: the Elysia plugin, with the publisher for code outside a request. */
export type EventsPlugin<Contract extends AnyEventsContract, Prefix extends string> = ReturnType<typeof pluginRoutes<Contract, EventsRoutes<Contract, Prefix>>> & {
  /** Publishes from anywhere in the app (a job, a queue consumer): the same publisher as the context's `events`. */
  readonly publisher: EventsPublisher<Contract>;
  /** The metrics the plugin counts (what its `/metrics` serves), for an app that serves them itself. */
  readonly metrics: ServerMetrics;
};

/**
 * Builds the plugin. Bad options throw at once.
 * @throws {ServerOptionsError} `INVALID_OPTION` for an option out of range, a bad prefix or a
 *   bad auth option (a short secret, an unreadable public key, two kinds of key, ...).
 * @throws {ContractError} `INVALID_CONTRACT` for a topic pattern of the contract that is not one.
 * @example
 * const events = eventsPlugin({ events: shopEvents });
 * const app = new Elysia()
 *   .use(events)
 *   .post("/api/orders/:id", async ({ params, events }) => {
 *     await events.publish(`orders/${params.id}`, "order.updated", { id: params.id, status: "paid" });
 *   });
 * await events.publisher.publish("orders/42", "order.updated", { id: "42", status: "shipped" });
 */
export function eventsPlugin<const Contract extends AnyEventsContract = typeof goaEvents, const Prefix extends string = "/events">(
  options: EventsPluginOptions<Contract, Prefix> = {},
): EventsPlugin<Contract, Prefix> {
  const { events: givenEvents, prefix: givenPrefix, broker: givenBroker, signal: givenSignal, onInternalError, logger } = options;
  const events = givenEvents ?? (goaEvents as AnyEventsContract as Contract);
  const prefix = resolvePrefix(givenPrefix ?? DEFAULT_EVENTS_PLUGIN_OPTIONS.prefix) as Prefix;
  const resolved = resolveServerOptions({
    ...pick(options),
    keepAliveMs: options.keepAliveMs ?? DEFAULT_EVENTS_PLUGIN_OPTIONS.keepAliveMs,
  });
  // Always compiled: a contract with a bad topic pattern fails here, whether publishes are checked or not.
  const contractCheck = createContractCheck(events);
  const check = (options.validatePublishes ?? DEFAULT_EVENTS_PLUGIN_OPTIONS.validatePublishes) ? contractCheck : undefined;
  const signal = givenSignal ?? new AbortController().signal;
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
    streamBody: options.streamBody,
  });
  const metrics = createServerMetrics({ stats: service.stats, broker, process: options.processMetrics === true ? { signal } : false });
  const reportInternal = (error: unknown): void => {
    metrics.internalErrors.inc();
    if (logger !== undefined) logInternalError(logger, error);
    onInternalError?.(error);
  };
  signal.addEventListener(
    "abort",
    () => {
      // Streams end on the same signal; the hub's timer and an owned broker go with them.
      if (keepAlive) keepAlive.close();
      if (givenBroker === undefined) void broker.close();
    },
    { once: true },
  );

  // Built once: no auth configured, no guard, and the routes keep their synchronous paths.
  const authOptions = authOptionsOf(resolved, options.authorize);
  const guard = authEnabled(authOptions)
    ? createRouteGuard({ authenticator: createAuthenticator(authOptions), trustedOrigins: resolved.corsOrigins })
    : undefined;
  const publisher = createEventsPublisher<Contract>(service, check, resolved.maxBatch);
  const routes = createEventsModule<Contract, Prefix>({
    service,
    maxBodyBytes: resolved.maxBodyBytes,
    maxBatch: resolved.maxBatch,
    triggerToken: resolved.triggerToken,
    onInternalError: reportInternal,
    events,
    prefix,
    check,
    streamLog: createStreamLog(logger),
    guard,
  });
  const plugin = pluginRoutes(publisher, routes, reportInternal);
  // The opt-in routes are registered on the plugin but left out of its type: clients reach them
  // with plain requests, and Eden's view of a host stays the host's routes plus the events routes.
  if (options.openapi === true) plugin.use(openapiDocument(guard === undefined ? undefined : resolved.authCookie));
  if (options.health === true) plugin.use(createHealthModule({ broker, clients: () => service.stats.clients, signal }));
  if (options.metrics === true) plugin.use(createMetricsModule(metrics));
  if (options.web !== undefined && options.web !== false) {
    plugin.use(createWebModule(options.web === true ? DEFAULT_SERVER_OPTIONS.webRoot || false : options.web));
  }
  return Object.assign(plugin, { publisher, metrics });
}

/** The shared server options given, without the plugin's own. */
function pick(options: EventsPluginOptions<AnyEventsContract, string>): Partial<Parameters<typeof resolveServerOptions>[0]> {
  const {
    events: _events,
    prefix: _prefix,
    broker: _broker,
    validatePublishes: _validate,
    signal: _signal,
    onInternalError: _onInternalError,
    health: _health,
    metrics: _metrics,
    processMetrics: _processMetrics,
    logger: _logger,
    openapi: _openapi,
    web: _web,
    authorize: _authorize,
    ...shared
  } = options;
  return shared;
}

/**
 * `/openapi.json`: the OpenAPI 3.1 document of the app's routes (no UI, no CDN assets), with the
 * security schemes the routes name when auth is on (`authCookie` set).
 */
function openapiDocument(authCookie: string | undefined) {
  const components = authCookie === undefined
    ? {}
    : {
        components: {
          securitySchemes: {
            bearer: { type: "http" as const, scheme: "bearer", bearerFormat: "JWT" },
            cookie: { type: "apiKey" as const, in: "cookie" as const, name: authCookie },
          },
        },
      };
  return openapi({
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
      ...components,
    },
  });
}
