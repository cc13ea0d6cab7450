import { describe, expect, test } from "vitest";
import { createTestApp, metric } from "../../../test/support/handle.ts";
import { registerProcessMetrics } from "./process-metrics.ts";
import { MetricsRegistry } from "./registry.ts";

const stopped = AbortSignal.abort();

describe("registerProcessMetrics", () => {
  test("reads CPU seconds, resident bytes, open descriptors and the start time from the process at scrape time", () => {
    const registry = new MetricsRegistry();
    let cpu = { user: 1_500_000, system: 500_000 };
    const fake = {
      cpuUsage: () => cpu,
      memoryUsage: { rss: () => 123_456_789 },
      uptime: () => 10,
      platform: "linux",
      getBuiltinModule: () => ({ readdirSync: () => ["0", "1", "2", "3", "4"] }),
    };
    registerProcessMetrics(registry, { process: fake, signal: stopped });
    const before = registry.render();
    expect(before).toContain("process_cpu_seconds_total 2\n");
    expect(before).toContain("process_resident_memory_bytes 123456789\n");
    expect(before).toContain("process_open_fds 4\n");
    expect(before).toMatch(/process_start_time_seconds \d+\n/);
    expect(before).toContain("process_event_loop_delay_seconds 0\n");
    cpu = { user: 3_000_000, system: 1_000_000 };
    expect(registry.render()).toContain("process_cpu_seconds_total 4\n");
  });

  test("leaves out what the runtime cannot give", () => {
    const registry = new MetricsRegistry();
    registerProcessMetrics(registry, { process: { platform: "win32" }, signal: stopped });
    const text = registry.render();
    expect(text).not.toContain("process_open_fds");
    expect(text).not.toContain("process_cpu_seconds_total");
    expect(text).toContain("process_event_loop_delay_seconds");
  });
});

describe("the standalone server's /metrics", () => {
  test("serves plausible process metrics beside the events ones", async () => {
    const { app, shutdown } = await createTestApp();
    try {
      expect(await metric(app, "process_cpu_seconds_total")).toBeGreaterThan(0);
      expect(await metric(app, "process_resident_memory_bytes")).toBeGreaterThan(1024 * 1024);
      expect(await metric(app, "process_open_fds")).toBeGreaterThanOrEqual(3);
      expect(await metric(app, "process_event_loop_delay_seconds")).toBeGreaterThanOrEqual(0);
      expect(await metric(app, "events_clients_connected")).toBe(0);
    } finally {
      shutdown.abort();
    }
  });

  test("serves none with processMetrics: false", async () => {
    const { app, shutdown } = await createTestApp({ processMetrics: false });
    expect(await metric(app, "process_cpu_seconds_total")).toBeUndefined();
    shutdown.abort();
  });
});
