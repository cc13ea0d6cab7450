import { describe, expect, test } from "vitest";
import { MetricsRegistry } from "./registry.ts";

describe("MetricsRegistry", () => {
  test("renders counters, labelled counters and observed gauges in the text format", () => {
    const registry = new MetricsRegistry();
    const published = registry.counter({ name: "x_published_total", help: "Published." });
    const rejected = registry.counter({ name: "x_rejected_total", help: "Rejected.", label: "reason" });
    let clients = 3;
    registry.observe({ name: "x_clients", help: "Clients.", type: "gauge", read: () => clients });
    published.inc();
    published.inc(undefined, 2);
    rejected.inc("A");
    rejected.inc('we"ird\n');
    clients = 4;
    expect(registry.render()).toBe(
      [
        "# HELP x_published_total Published.",
        "# TYPE x_published_total counter",
        "x_published_total 3",
        "# HELP x_rejected_total Rejected.",
        "# TYPE x_rejected_total counter",
        'x_rejected_total{reason="A"} 1',
        'x_rejected_total{reason="we\\"ird\\n"} 1',
        "# HELP x_clients Clients.",
        "# TYPE x_clients gauge",
        "x_clients 4",
        "",
      ].join("\n"),
    );
    expect(rejected.get("A")).toBe(1);
  });

  test("refuses an invalid or duplicate metric name", () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: "ok_total", help: "" });
    expect(() => registry.counter({ name: "ok_total", help: "" })).toThrow("registered twice");
    expect(() => registry.counter({ name: "bad-name", help: "" })).toThrow("invalid metric name");
  });
});
