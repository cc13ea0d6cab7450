/**
 * The process's own figures beside the server's, under the names Prometheus client libraries
 * use (`process_cpu_seconds_total`, `process_resident_memory_bytes`, `process_open_fds`,
 * `process_start_time_seconds`), plus the event loop's delay. Read at scrape time, except the
 * delay, which one timer samples (it stops when `signal` aborts and never keeps a process alive).
 *
 * Read through `globalThis.process` (Bun, Deno 2 and Node all have it) rather than imported
 * `node:` modules: this file is reached by the client SDK's type check through `App`, which
 * compiles without Node's types.
 */
import type { MetricsRegistry } from "./registry.ts";

/** The part of `process` read here; each piece is optional so a runtime without it is not fatal. */
interface ProcessFigures {
  cpuUsage?(): { user: number; system: number };
  memoryUsage?: { rss?(): number };
  uptime?(): number;
  platform?: string;
  getBuiltinModule?(name: "node:fs"): { readdirSync(path: string): unknown[] } | undefined;
}

/** Options of {@link registerProcessMetrics}. */
export interface ProcessMetricsOptions {
  /** Stops the event-loop sampler. @default never (the timer is unref'd) */
  readonly signal?: AbortSignal | undefined;
  /** Interval of the event-loop delay sample, in milliseconds. @default 500 */
  readonly sampleIntervalMs?: number;
  /** Samples whose largest delay the gauge shows (a sliding window). @default 10 (5 s at 500 ms) */
  readonly windowSamples?: number;
  /** The process to read. @default globalThis.process */
  readonly process?: ProcessFigures | undefined;
}

/** The folder listing a process's open descriptors, where there is one. */
function fdFolder(platform: string | undefined): string | undefined {
  if (platform === "linux") return "/proc/self/fd";
  if (platform === "darwin" || platform === "freebsd") return "/dev/fd";
  return undefined;
}

/**
 * Measures how late a timer fires: the event loop's delay, at most once per interval. The
 * largest of the last `windowSamples` samples is what a scrape sees.
 */
function sampleEventLoopDelay(intervalMs: number, windowSamples: number, signal: AbortSignal | undefined): () => number {
  const window = new Float64Array(windowSamples);
  let at = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (): void => {
    const expected = performance.now() + intervalMs;
    timer = setTimeout(() => {
      window[at] = Math.max(0, performance.now() - expected);
      at = (at + 1) % windowSamples;
      schedule();
    }, intervalMs);
    // A metrics timer must never hold a process open (Bun and Node; Deno's timers are numbers).
    (timer as { unref?: () => void }).unref?.();
  };
  if (signal?.aborted !== true) {
    schedule();
    signal?.addEventListener("abort", () => clearTimeout(timer), { once: true });
  }
  return () => Math.max(...window) / 1000;
}

/**
 * Registers the process metrics on `registry`; a figure the runtime cannot give (open file
 * descriptors outside Linux and macOS) is left out.
 * @example
 * registerProcessMetrics(registry, { signal });
 */
export function registerProcessMetrics(registry: MetricsRegistry, options: ProcessMetricsOptions = {}): void {
  const proc = options.process ?? (globalThis as { process?: ProcessFigures }).process;
  if (proc === undefined) return;
  const { cpuUsage, memoryUsage, uptime } = proc;
  if (typeof cpuUsage === "function") {
    registry.observe({
      name: "process_cpu_seconds_total",
      help: "User and system CPU time spent by this process, in seconds.",
      type: "counter",
      read: () => {
        const usage = cpuUsage.call(proc);
        return (usage.user + usage.system) / 1e6;
      },
    });
  }
  const rss = memoryUsage?.rss;
  if (typeof rss === "function") {
    registry.observe({ name: "process_resident_memory_bytes", help: "Resident memory of this process, in bytes.", type: "gauge", read: () => rss.call(memoryUsage) });
  }
  const folder = fdFolder(proc.platform);
  const fs = folder === undefined ? undefined : proc.getBuiltinModule?.("node:fs");
  if (folder !== undefined && fs !== undefined) {
    registry.observe({
      name: "process_open_fds",
      help: "File descriptors this process holds open (sockets included).",
      type: "gauge",
      // The listing opens one descriptor of its own while it reads.
      read: () => Math.max(0, fs.readdirSync(folder).length - 1),
    });
  }
  if (typeof uptime === "function") {
    const start = Math.round(Date.now() / 1000 - uptime.call(proc));
    registry.observe({ name: "process_start_time_seconds", help: "When this process started, in seconds since the Unix epoch.", type: "gauge", read: () => start });
  }
  const delay = sampleEventLoopDelay(options.sampleIntervalMs ?? 500, options.windowSamples ?? 10, options.signal);
  registry.observe({
    name: "process_event_loop_delay_seconds",
    help: "How late a timer fired: the largest event-loop delay over the last few seconds, in seconds.",
    type: "gauge",
    read: delay,
  });
}
