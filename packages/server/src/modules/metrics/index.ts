/**
 * `GET /metrics`: the server's figures in the Prometheus text format, read at scrape time
 * from the one place each is counted (the events service's {@link EventsStats}, the broker).
 */
import type { Broker } from "@events/sse-core";
import { Elysia } from "elysia";
import type { EventsStats } from "../events/stats.ts";
import { type ProcessMetricsOptions, registerProcessMetrics } from "./process-metrics.ts";
import { type Counter, MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from "./registry.ts";

/** Where the metrics read their figures from. */
export interface ServerMetricsSources {
  /** What the events service counts. */
  readonly stats: EventsStats;
  /** The broker, for whether it can store events now. */
  readonly broker: Broker;
  /** Add the process's figures (CPU, memory, descriptors, event-loop delay): `true` or their options. @default false */
  readonly process?: boolean | ProcessMetricsOptions | undefined;
}

/**
 * Topic retention figures a broker may offer (`MemoryBroker` does): read at scrape time when
 * present, so a broker without them simply has no such samples.
 */
interface TopicRetentionFigures {
  /** Topics whose history the broker holds now. */
  readonly retainedTopics: number;
  /** Topics evicted since start (by the retained-topic, byte or age bounds). */
  readonly topicEvictions: number;
}

function hasTopicRetention(broker: Broker): broker is Broker & TopicRetentionFigures {
  const figures = broker as Partial<TopicRetentionFigures>;
  return typeof figures.retainedTopics === "number" && typeof figures.topicEvictions === "number";
}

/** The registry plus the one counter the app itself increments. */
export interface ServerMetrics {
  readonly registry: MetricsRegistry;
  /** Requests answered 500 INTERNAL (a bug: the details are in the server log). */
  readonly internalErrors: Counter;
  /**
   * Every metric in the Prometheus text format (what `/metrics` serves), for a host that serves
   * its own endpoint: append it to the host registry's text.
   */
  render(): string;
  /** The `Content-Type` of {@link render}'s text. */
  readonly contentType: string;
}

/**
 * Registers every server metric.
 * @example
 * const metrics = createServerMetrics({ stats: service.stats, broker });
 */
export function createServerMetrics(sources: ServerMetricsSources): ServerMetrics {
  const registry = new MetricsRegistry();
  const { stats, broker } = sources;
  const { streams } = stats;
  registry.observe({ name: "events_clients_connected", help: "Event streams open on this node.", type: "gauge", read: () => stats.clients });
  registry.observe({
    name: "events_published_total",
    help: "POST /events/trigger requests answered 200 (a repeated Idempotency-Key counts, though it stores nothing).",
    type: "counter",
    read: () => stats.published,
  });
  registry.observe({
    name: "events_delivered_total",
    help: "Events (replayed and live) handed to client streams.",
    type: "counter",
    read: () => streams.delivered,
  });
  registry.observe({ name: "events_replayed_total", help: "Events replayed from history on resume.", type: "counter", read: () => streams.replayed });
  registry.observe({ name: "events_gaps_total", help: "Gap events sent (history could not cover Last-Event-ID).", type: "counter", read: () => streams.gaps });
  registry.observe({
    name: "events_slow_client_disconnects_total",
    help: "Clients disconnected for exceeding their buffer limit.",
    type: "counter",
    read: () => streams.slowConsumerDisconnects,
  });
  registry.observeLabelled({
    name: "events_triggers_rejected_total",
    help: "POST /events/trigger requests refused, by error code.",
    label: "reason",
    read: () => stats.triggersRejected,
  });
  registry.observeLabelled({
    name: "events_streams_closed_total",
    help: "Event streams ended, by reason (broker-unavailable: the broker could not subscribe; the stream wrote retry: and ended).",
    label: "reason",
    read: () => stats.streamsClosed,
  });
  registry.observe({
    name: "events_publishes_total",
    help: "Publishes stored, over POST /events/publish and through the in-process publisher (a repeated Idempotency-Key counts, though it stores nothing).",
    type: "counter",
    read: () => stats.publishes,
  });
  registry.observeLabelled({
    name: "events_publishes_rejected_total",
    help: "Publishes refused, over POST /events/publish and through the in-process publisher, by error code.",
    label: "reason",
    read: () => stats.publishesRejected,
  });
  if (hasTopicRetention(broker)) {
    // No per-topic labels: topics are unbounded, and so would the series be.
    registry.observe({
      name: "events_retained_topics",
      help: "Topics whose history the broker holds on this node (bounded by --max-retained-topics).",
      type: "gauge",
      read: () => broker.retainedTopics,
    });
    registry.observe({
      name: "events_topic_evictions_total",
      help: "Topics whose history was evicted (least recently published first) to stay within the node's bounds.",
      type: "counter",
      read: () => broker.topicEvictions,
    });
  }
  registry.observe({ name: "events_broker_up", help: "1 when the broker can store events, else 0.", type: "gauge", read: () => (broker.health().ok ? 1 : 0) });
  const internalErrors = registry.counter({
    name: "events_internal_errors_total",
    help: "Requests answered 500 INTERNAL (a bug; the stack is in the server log).",
  });
  if (sources.process !== undefined && sources.process !== false) {
    registerProcessMetrics(registry, sources.process === true ? {} : sources.process);
  }
  return { registry, internalErrors, render: () => registry.render(), contentType: PROMETHEUS_CONTENT_TYPE };
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
