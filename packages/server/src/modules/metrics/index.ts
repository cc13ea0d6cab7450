/**
 * `GET /metrics`: the server's figures in the Prometheus text format.
 */
import type { EventStreamCounters } from "@events/sse-core";
import { Elysia } from "elysia";
import { type Counter, MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from "./registry.ts";

/** Where the metrics read their figures from. */
export interface ServerMetricsSources {
  /** The counters every event stream adds to. */
  readonly counters: EventStreamCounters;
  /** Streams served now. */
  readonly clients: () => number;
  /** Whether the broker can store events now. */
  readonly brokerUp: () => boolean;
  /** Triggers stored so far. */
  readonly published: () => number;
}

/** The registry plus the counters the server increments itself. */
export interface ServerMetrics {
  readonly registry: MetricsRegistry;
  /** Triggers refused, by error code (`reason` label). */
  readonly triggersRejected: Counter;
  /** Streams ended, by reason (`cancelled`, `slow-consumer`, `aborted`, `broker-closed`, `broker-unavailable`, `error`). */
  readonly streamsClosed: Counter;
  /** Requests answered 500 INTERNAL (a bug: the details are in the server log). */
  readonly internalErrors: Counter;
}

/**
 * Registers every server metric.
 * @example
 * const metrics = createServerMetrics({ counters, clients: () => service.clientCount, brokerUp: () => broker.health().ok, published: () => service.publishedCount });
 */
export function createServerMetrics(sources: ServerMetricsSources): ServerMetrics {
  const registry = new MetricsRegistry();
  const { counters } = sources;
  registry.observe({ name: "events_clients_connected", help: "Event streams open on this node.", type: "gauge", read: sources.clients });
  // Read at scrape time: the service counts, so a trigger pays no map update.
  registry.observe({ name: "events_published_total", help: "Events stored through POST /events/trigger.", type: "counter", read: sources.published });
  registry.observe({
    name: "events_delivered_total",
    help: "Events (replayed and live) handed to client streams.",
    type: "counter",
    read: () => counters.delivered,
  });
  registry.observe({ name: "events_replayed_total", help: "Events replayed from history on resume.", type: "counter", read: () => counters.replayed });
  registry.observe({ name: "events_gaps_total", help: "Gap events sent (history could not cover Last-Event-ID).", type: "counter", read: () => counters.gaps });
  registry.observe({
    name: "events_slow_client_disconnects_total",
    help: "Clients disconnected for exceeding their buffer limit.",
    type: "counter",
    read: () => counters.slowConsumerDisconnects,
  });
  const triggersRejected = registry.counter({
    name: "events_triggers_rejected_total",
    help: "POST /events/trigger requests refused, by error code.",
    label: "reason",
  });
  const streamsClosed = registry.counter({
    name: "events_streams_closed_total",
    help: "Event streams ended, by reason (error: the broker could not subscribe).",
    label: "reason",
  });
  registry.observe({ name: "events_broker_up", help: "1 when the broker can store events, else 0.", type: "gauge", read: () => (sources.brokerUp() ? 1 : 0) });
  const internalErrors = registry.counter({
    name: "events_internal_errors_total",
    help: "Requests answered 500 INTERNAL (a bug; the stack is in the server log).",
  });
  return { registry, triggersRejected, streamsClosed, internalErrors };
}

/**
 * The `/metrics` route.
 * Its return type is inferred on purpose: it is the route contract Eden reads through `App`.
 * @example
 * app.use(createMetricsModule(metrics))
 */
export function createMetricsModule(metrics: ServerMetrics) {
  return new Elysia({ name: "events/metrics" }).get(
    "/metrics",
    () => new Response(metrics.registry.render(), { headers: { "content-type": PROMETHEUS_CONTENT_TYPE } }),
    { detail: { summary: "Prometheus metrics", tags: ["operations"] } },
  );
}
