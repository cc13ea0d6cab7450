/**
 * `GET /healthz`: 200 while this node can serve (broker up, not shutting down), else 503,
 * so a load balancer stops sending it clients.
 */
import type { Broker } from "@events/sse-core";
import { Elysia } from "elysia";

/** What {@link createHealthModule} reports on. */
export interface HealthModuleOptions {
  readonly broker: Broker;
  /** Streams served now. */
  readonly clients: () => number;
  /** Aborted at shutdown. */
  readonly signal: AbortSignal;
  /** Clock, for the uptime. @default Date.now */
  readonly now?: () => number;
}

/**
 * The `/healthz` route.
 * Its return type is inferred on purpose: it is the route contract Eden reads through `App`.
 * @example
 * app.use(createHealthModule({ broker, clients: () => service.clientCount, signal }))
 */
export function createHealthModule(options: HealthModuleOptions) {
  const now = options.now ?? Date.now;
  const startedAt = now();
  return new Elysia({ name: "events/health" }).get(
    "/healthz",
    ({ set }) => {
      const broker = options.broker.health();
      const status = options.signal.aborted ? "shutting-down" : broker.ok ? "ok" : "degraded";
      set.status = status === "ok" ? 200 : 503;
      set.headers["cache-control"] = "no-store";
      return {
        status,
        broker: { ok: broker.ok, detail: broker.detail },
        clients: options.clients(),
        uptimeSeconds: Math.round((now() - startedAt) / 1000),
      } as const;
    },
    { detail: { summary: "Health", description: "200 when the node can serve, 503 otherwise.", tags: ["operations"] } },
  );
}
