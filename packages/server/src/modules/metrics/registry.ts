/**
 * A minimal Prometheus registry: counters (optionally with one label) and gauges read
 * when scraped, rendered in the text exposition format 0.0.4.
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */

/** The `Content-Type` of {@link MetricsRegistry.render}'s output. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** A monotonically increasing count, optionally split by one label. */
export interface Counter {
  /** Adds `amount` (default 1) to the series with this label value (or the unlabelled one). */
  inc(labelValue?: string, amount?: number): void;
  /** The current value of one series. */
  get(labelValue?: string): number;
}

interface MetricDefinition {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge";
  readonly lines: () => readonly string[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function escapeLabel(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"');
}

/** Holds the server's metrics and renders them for `/metrics`. */
export class MetricsRegistry {
  readonly #metrics = new Map<string, MetricDefinition>();

  #add(definition: MetricDefinition): void {
    if (!METRIC_NAME.test(definition.name)) throw new RangeError(`invalid metric name ${JSON.stringify(definition.name)}`);
    if (this.#metrics.has(definition.name)) throw new RangeError(`metric ${definition.name} is registered twice`);
    this.#metrics.set(definition.name, definition);
  }

  /**
   * Registers a counter kept by the registry. With `label`, each distinct label value is
   * its own series (e.g. `reason="VALIDATION_FAILED"`).
   * @example
   * const rejected = registry.counter({ name: "x_rejected_total", help: "...", label: "reason" });
   * rejected.inc("UNAUTHORIZED");
   */
  counter(definition: { name: string; help: string; label?: string }): Counter {
    const series = new Map<string, number>();
    const label = definition.label;
    if (label === undefined) series.set("", 0);
    this.#add({
      name: definition.name,
      help: definition.help,
      type: "counter",
      lines: () =>
        [...series].map(([value, count]) =>
          label === undefined ? `${definition.name} ${count}` : `${definition.name}{${label}="${escapeLabel(value)}"} ${count}`
        ),
    });
    return {
      inc(labelValue = "", amount = 1): void {
        series.set(labelValue, (series.get(labelValue) ?? 0) + amount);
      },
      get(labelValue = ""): number {
        return series.get(labelValue) ?? 0;
      },
    };
  }

  /**
   * Registers a value read at scrape time: a `gauge`, or a `counter` kept elsewhere (e.g.
   * sse-core's `EventStreamCounters`).
   */
  observe(definition: { name: string; help: string; type: "counter" | "gauge"; read: () => number }): void {
    this.#add({
      name: definition.name,
      help: definition.help,
      type: definition.type,
      lines: () => [`${definition.name} ${definition.read()}`],
    });
  }

  /**
   * Registers a counter kept elsewhere and split by one label, read at scrape time: one
   * series per entry of the map `read` returns (e.g. refused triggers by error code).
   */
  observeLabelled(definition: { name: string; help: string; label: string; read: () => ReadonlyMap<string, number> }): void {
    const { name, label } = definition;
    this.#add({
      name,
      help: definition.help,
      type: "counter",
      lines: () => [...definition.read()].map(([value, count]) => `${name}{${label}="${escapeLabel(value)}"} ${count}`),
    });
  }

  /** Every metric in the Prometheus text format, ending with a newline. */
  render(): string {
    const out: string[] = [];
    for (const metric of this.#metrics.values()) {
      out.push(`# HELP ${metric.name} ${metric.help.replaceAll("\\", "\\\\").replaceAll("\n", "\\n")}`);
      out.push(`# TYPE ${metric.name} ${metric.type}`);
      out.push(...metric.lines());
    }
    return `${out.join("\n")}\n`;
  }
}
