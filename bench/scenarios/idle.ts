/**
 * Idle connections: server RSS before and after opening N quiet streams, in KiB per connection.
 */
import { fmt, median, pushTo, verdict } from "../lib/stats.ts";
import { SseClientPool } from "../loadgen/sse-client-pool.ts";
import { readProcStats } from "../loadgen/proc-stats.ts";
import { BASELINE_PEER, PEER_LABELS, type PeerName, type RunningPeer } from "../peers/start-peer.ts";
import type { ReportContext, Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";

/** What N idle connections cost one peer. */
export interface IdleResult {
  readonly requested: number;
  readonly open: number;
  readonly rssBeforeKb: number;
  readonly rssAfterKb: number;
  readonly kbPerConnection: number;
  /** Seconds from the first connect until every stream answered. */
  readonly connectSeconds: number;
}

/** Opens `clients` streams, waits `settleMs` for the server to settle, reads its RSS, closes them. */
export async function runIdle(peer: RunningPeer, clients: number, settleMs: number): Promise<IdleResult> {
  await Bun.sleep(300);
  const before = readProcStats(peer.pid);
  const t0 = performance.now();
  const pool = await SseClientPool.open({ host: "127.0.0.1", port: peer.port, path: peer.streamPath, count: clients });
  try {
    const connectSeconds = (performance.now() - t0) / 1000;
    await Bun.sleep(settleMs);
    const after = readProcStats(peer.pid);
    const { open } = pool.counters();
    return {
      requested: clients,
      open,
      rssBeforeKb: before.rssKb,
      rssAfterKb: after.rssKb,
      kbPerConnection: open > 0 ? (after.rssKb - before.rssKb) / open : Number.NaN,
      connectSeconds,
    };
  } finally {
    pool.close();
  }
}

/** `idle`: {@link runIdle} with `idleClients` streams on every streaming peer. */
export class IdleScenario implements Scenario {
  readonly name = "idle";
  readonly section = "servers";
  readonly repeat = "every round";
  readonly #runs = new Map<PeerName, IdleResult[]>();

  async run(context: ScenarioContext): Promise<void> {
    const { config, log } = context;
    log(`round ${context.round + 1}: ${config.idleClients} idle connections`);
    for (const name of context.peers) {
      await context.withPeer(name, config.idleClients + 100, async (peer) => {
        const idle = await runIdle(peer, config.idleClients, config.idleSettleMs);
        log(`  ${name}: ${idle.open}/${idle.requested} open, ${idle.kbPerConnection.toFixed(2)} KB/connection (${idle.connectSeconds.toFixed(1)} s to connect)`);
        pushTo(this.#runs, name, idle);
      });
    }
  }

  report({ config }: ReportContext): ScenarioReport | undefined {
    if (this.#runs.size === 0) return undefined;
    const lines = [
      `### Idle connections: ${fmt(config.idleClients)}`,
      "",
      `Server RSS (VmRSS) before opening the streams and ${config.idleSettleMs} ms after the last one answered; medians over rounds.`,
      "",
      "| peer | open | RSS before MB | RSS after MB | KB per connection | vs minimal |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
    ];
    const minimal = median((this.#runs.get(BASELINE_PEER) ?? []).map((r) => r.kbPerConnection));
    for (const [name, runs] of this.#runs) {
      const kb = median(runs.map((r) => r.kbPerConnection));
      lines.push(
        `| ${PEER_LABELS[name]} | ${fmt(Math.min(...runs.map((r) => r.open)))} | ${fmt(median(runs.map((r) => r.rssBeforeKb)) / 1024, 1)} | ` +
          `${fmt(median(runs.map((r) => r.rssAfterKb)) / 1024, 1)} | ${fmt(kb, 2)} | ${name === BASELINE_PEER ? "" : `${kb - minimal >= 0 ? "+" : ""}${fmt(kb - minimal, 2)} KB`} |`,
      );
    }
    const ours = median((this.#runs.get("ours") ?? []).map((r) => r.kbPerConnection));
    const target = `Idle KB/connection ≤ minimal broadcaster + 2 KB: ${verdict(Number.isFinite(ours) && Number.isFinite(minimal) ? ours <= minimal + 2 : undefined)} (ours ${fmt(ours, 2)}, minimal ${fmt(minimal, 2)})`;
    return { lines, targets: [target] };
  }
}
