/**
 * Fan-out: N clients on one peer, a publisher at increasing rates; per step, what arrived,
 * how late, and what it cost the server in CPU. Stops at the first step with loss or
 * p99 > 1 s (that rate is reported, the next ones are not tried).
 */
import { SseClientPool } from "../loadgen/sse-client-pool.ts";
import { readProcStats } from "../loadgen/proc-stats.ts";
import { spawnPublisher } from "../loadgen/publisher.ts";
import type { RunningPeer } from "../peers/start-peer.ts";

/** One rate step on one peer. */
export interface FanoutStep {
  readonly clients: number;
  readonly rate: number;
  /** Events the peer accepted. */
  readonly published: number;
  /** Events the publisher could not send in time (the peer answered too slowly for the rate). */
  readonly unsent: number;
  readonly achievedRate: number;
  /** published × clients connected when the step began. */
  readonly expected: number;
  readonly received: number;
  /** expected − received (never negative). */
  readonly lost: number;
  /** Connections the server ended during the step. */
  readonly dropped: number;
  readonly malformed: number;
  /** Deliveries per second of wall clock, publisher start to last receipt. */
  readonly deliveredPerSecond: number;
  /** Server CPU (user + system) used during the step. */
  readonly serverCpuSeconds: number;
  /** The main figure: deliveries per server CPU-second. */
  readonly eventsPerCpuSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Server RSS at the end of the step, KiB. */
  readonly rssKb: number;
  /** Loss, a failed publish, or p99 over 1 s. */
  readonly failed: boolean;
}

/** Options of {@link runFanout}. */
export interface FanoutOptions {
  readonly clients: number;
  readonly rates: readonly number[];
  readonly stepSeconds: number;
  readonly log: (line: string) => void;
}

async function waitForDrain(pool: SseClientPool, expected: number, maxMs: number): Promise<number> {
  const deadline = performance.now() + maxMs;
  let last = -1;
  let lastChange = performance.now();
  while (performance.now() < deadline) {
    const { received } = pool.counters();
    if (received >= expected) break;
    if (received !== last) {
      last = received;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > 1500) break;
    await Bun.sleep(20);
  }
  return performance.now();
}

/** Runs the rate ladder against `peer` with fresh connections, closed at the end. */
export async function runFanout(peer: RunningPeer, options: FanoutOptions): Promise<FanoutStep[]> {
  const pool = await SseClientPool.open({ host: "127.0.0.1", port: peer.port, path: peer.streamPath, count: options.clients });
  const steps: FanoutStep[] = [];
  try {
    const opened = pool.counters();
    if (opened.open < options.clients) {
      options.log(`  ${peer.name}: only ${opened.open}/${options.clients} streams opened (${opened.rejected} refused)`);
    }
    // Let the peers finish registering the last subscribers (better-sse registers after its first write).
    await Bun.sleep(200);
    for (const rate of options.rates) {
      pool.resetCounters();
      const before = pool.counters();
      const stats0 = readProcStats(peer.pid);
      const t0 = performance.now();
      const publisher = await spawnPublisher({
        url: `http://127.0.0.1:${peer.port}${peer.publishPath}`,
        rate,
        count: Math.max(1, Math.round(rate * options.stepSeconds)),
      });
      const expected = publisher.ok * before.open;
      const t1 = await waitForDrain(pool, expected, 10_000);
      const stats1 = readProcStats(peer.pid);
      const after = pool.counters();
      const latency = pool.latency.summary();
      const cpu = stats1.cpuSeconds - stats0.cpuSeconds;
      const step: FanoutStep = {
        clients: before.open,
        rate,
        published: publisher.ok,
        unsent: publisher.unsent,
        achievedRate: publisher.achievedRate,
        expected,
        received: after.received,
        lost: Math.max(0, expected - after.received),
        dropped: after.closed - before.closed,
        malformed: after.malformed,
        deliveredPerSecond: after.received / ((t1 - t0) / 1000),
        serverCpuSeconds: cpu,
        eventsPerCpuSecond: cpu > 0 ? after.received / cpu : Number.NaN,
        p50Ms: latency.p50Ms,
        p99Ms: latency.p99Ms,
        maxMs: latency.maxMs,
        rssKb: stats1.rssKb,
        failed: publisher.failed + publisher.unsent > 0 || expected - after.received > 0 || !(latency.p99Ms <= 1000),
      };
      steps.push(step);
      options.log(
        `  ${peer.name} ${step.clients} clients @ ${rate}/s: ${step.received}/${step.expected} received, ` +
          `${Math.round(step.eventsPerCpuSecond)} ev/CPU-s, ${Math.round(step.deliveredPerSecond)} ev/s, ` +
          `p50 ${step.p50Ms.toFixed(1)} p99 ${step.p99Ms.toFixed(1)} max ${step.maxMs.toFixed(1)} ms, cpu ${cpu.toFixed(2)} s` +
          `, published ${publisher.ok} at ${Math.round(publisher.achievedRate)}/s` +
          (publisher.unsent > 0 ? `, ${publisher.unsent} not sent in time` : "") +
          (publisher.failed > 0 ? `, ${publisher.failed} publishes failed (${publisher.firstError ?? "no answer"})` : "") +
          (step.malformed > 0 ? `, ${step.malformed} malformed` : ""),
      );
      if (step.failed) break;
    }
  } finally {
    pool.close();
  }
  return steps;
}
