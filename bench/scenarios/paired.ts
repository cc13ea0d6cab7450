/**
 * Paired fan-out (issue 19, part 2's CPU line measured against drift): ours and the minimal
 * broadcaster run at the same time, each with its own clients, and the publisher feeds them in
 * turn, one window each, the order swapped every round. Each window's events per server
 * CPU-second is paired with the other peer's window next to it, so a machine that speeds up or
 * slows down between rounds (±10% here, bench/NOTES.md) moves both sides of a ratio alike.
 * The fan-out scenario's ladders run minutes apart and carry that drift; this one does not.
 */
import { fmt, median, medianInterval, ratio, verdict } from "../lib/stats.ts";
import { readProcStats } from "../loadgen/proc-stats.ts";
import { spawnPublisher } from "../loadgen/publisher.ts";
import { SseClientPool } from "../loadgen/sse-client-pool.ts";
import { BASELINE_PEER, PEER_LABELS, type PeerName, type RunningPeer } from "../peers/start-peer.ts";
import type { ReportContext, Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";

/** One window on one peer. */
interface PairedWindow {
  readonly eventsPerCpuSecond: number;
  readonly p99Ms: number;
  readonly lost: number;
}

/** The peers this scenario pairs: ours against the minimal broadcaster, whatever `--peers` adds. */
const PAIRED_PEERS: readonly PeerName[] = ["ours", BASELINE_PEER];

/** A peer up with its clients. */
interface Connected {
  readonly name: PeerName;
  readonly peer: RunningPeer;
  readonly pool: SseClientPool;
}

async function drain(pool: SseClientPool, expected: number, maxMs: number): Promise<void> {
  const deadline = performance.now() + maxMs;
  while (pool.counters().received < expected && performance.now() < deadline) await Bun.sleep(10);
}

/** Publishes `count` events at `rate` to `side` and measures the window. */
async function measureWindow(side: Connected, rate: number, count: number): Promise<PairedWindow> {
  const { peer, pool } = side;
  pool.resetCounters();
  const cpuBefore = readProcStats(peer.pid).cpuSeconds;
  const published = await spawnPublisher({ url: `http://127.0.0.1:${peer.port}${peer.publishPath}`, rate, count });
  const expected = published.ok * pool.counters().open;
  await drain(pool, expected, 10_000);
  const cpu = readProcStats(peer.pid).cpuSeconds - cpuBefore;
  const received = pool.counters().received;
  return { eventsPerCpuSecond: cpu > 0 ? received / cpu : Number.NaN, p99Ms: pool.latency.summary().p99Ms, lost: Math.max(0, expected - received) + published.failed + published.unsent };
}

/** `paired`: alternating windows at `pairedRate` on ours and the minimal broadcaster, both up at once. */
export class PairedScenario implements Scenario {
  readonly name = "paired";
  readonly section = "paired";
  readonly repeat = "once";
  readonly #windows = new Map<PeerName, PairedWindow[]>();

  async run(context: ScenarioContext): Promise<void> {
    const { config, log } = context;
    const names = PAIRED_PEERS.filter((name) => context.peers.includes(name));
    if (names.length < 2) return log("paired: needs ours and minimal-bun among --peers; skipped");
    log(`paired fan-out: ${config.fanoutClients} clients each, ${config.pairedRate}/s, ${config.pairedWindows} windows of ${config.stepSeconds} s per peer`);
    const connected: Connected[] = [];
    const withAll = async (index: number): Promise<void> => {
      const name = names[index];
      if (name === undefined) return this.#measure(connected, context);
      await context.withPeer(name, config.fanoutClients + 100, async (peer) => {
        const pool = await SseClientPool.open({ host: "127.0.0.1", port: peer.port, path: peer.streamPath, count: config.fanoutClients });
        try {
          if (pool.counters().open < config.fanoutClients) throw new Error(`${name}: only ${pool.counters().open}/${config.fanoutClients} streams opened`);
          connected.push({ name, peer, pool });
          await withAll(index + 1);
        } finally {
          pool.close();
        }
      });
    };
    await withAll(0);
  }

  async #measure(connected: readonly Connected[], { config, log }: ScenarioContext): Promise<void> {
    const count = Math.max(1, Math.round(config.pairedRate * config.stepSeconds));
    // Unmeasured: each peer's first events (JIT warm-up, the connections' garbage).
    for (const side of connected) await measureWindow(side, config.pairedRate, count);
    for (let round = 0; round < config.pairedWindows; round += 1) {
      const order = round % 2 === 0 ? connected : [...connected].reverse();
      const line: string[] = [];
      for (const side of order) {
        const window = await measureWindow(side, config.pairedRate, count);
        const list = this.#windows.get(side.name) ?? [];
        list.push(window);
        this.#windows.set(side.name, list);
        line.push(`${side.name} ${fmt(window.eventsPerCpuSecond)}`);
      }
      log(`  window ${round + 1}: ${line.join(", ")} ev/CPU-s`);
    }
  }

  report({ config }: ReportContext): ScenarioReport | undefined {
    const ours = this.#windows.get("ours");
    const minimal = this.#windows.get(BASELINE_PEER);
    if (ours === undefined || minimal === undefined) return undefined;
    const pairs = Math.min(ours.length, minimal.length);
    const ratios = Array.from({ length: pairs }, (_, i) => (ours[i] as PairedWindow).eventsPerCpuSecond / (minimal[i] as PairedWindow).eventsPerCpuSecond);
    const paired = median(ratios);
    const above = ratios.filter((r) => r >= 1).length;
    // Where the median of the pairs' ratios lies with 95% confidence: an interval across 1.0× means
    // the two are at parity, and the met/missed line below is decided by noise.
    const interval = medianInterval(ratios);
    const intervalText =
      interval === undefined ? `no 95% interval from ${pairs} pairs` : `95% interval for the median ${ratio(interval.low)}-${ratio(interval.high)} (order statistics)`;
    const lost = ours.reduce((sum, w) => sum + w.lost, 0);
    const lines = [
      `### Paired fan-out: ${fmt(config.fanoutClients)} clients each at ${fmt(config.pairedRate)} events/s, ${pairs} alternating windows`,
      "",
      `Both peers up at once, ${fmt(config.fanoutClients)} clients each; the publisher feeds one peer for ${config.stepSeconds} s, then the other,`,
      "the order swapped every window pair (one unmeasured window each first). Events/CPU-s as in the fan-out scenario;",
      "ours ÷ minimal is the median of the ratios of neighbouring windows (the machine's drift cancels within a pair).",
      "",
      "| peer | events/CPU-s (median) | p99 ms (median) | lost |",
      "| --- | ---: | ---: | ---: |",
      ...[ours, minimal].map((windows, i) =>
        `| ${PEER_LABELS[i === 0 ? "ours" : BASELINE_PEER]} | ${fmt(median(windows.map((w) => w.eventsPerCpuSecond)))} | ${fmt(median(windows.map((w) => w.p99Ms)), 1)} | ${fmt(windows.reduce((sum, w) => sum + w.lost, 0))} |`,
      ),
      "",
      `Ours ÷ minimal per window pair: ${ratios.map((r) => r.toFixed(2)).join(", ")} (median ${ratio(paired)}, ${above} of ${pairs} at or above 1.0×; ${intervalText}).`,
    ];
    const targets = [
      `(issue 19) Fan-out events/CPU-s ≥ 1.0× the minimal Bun broadcaster at ${fmt(config.pairedRate)}/s, paired windows: ${verdict(pairs === 0 ? undefined : paired >= 1 && lost === 0)} ` +
        `(median ${ratio(paired)} over ${pairs} pairs, ${intervalText}, range ${ratio(Math.min(...ratios))}-${ratio(Math.max(...ratios))}; ours lost ${fmt(lost)})`,
    ];
    return { lines, targets };
  }
}
