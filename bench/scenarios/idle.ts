/**
 * Idle connections: server RSS before and after opening N streams that got one event and then
 * went quiet, in KiB per connection. The one event is there because a stream's first event can
 * leave state behind (buffers made on first use), which a connection that never got one hides.
 */
import { fmt, median, pushTo, verdict } from "../lib/stats.ts";
import { SseClientPool } from "../loadgen/sse-client-pool.ts";
import { readProcStats } from "../loadgen/proc-stats.ts";
import { markerMessage } from "../loadgen/publisher.ts";
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
  /** Streams that received the one event before the reading. */
  readonly gotEvent: number;
}

/** Publishes one event to `peer` and waits (at most 30 s) until `count` clients of `pool` have it. */
async function publishOne(peer: RunningPeer, pool: SseClientPool, count: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${peer.port}${peer.publishPath}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message: markerMessage(0, 64) }),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`publishing the one event answered HTTP ${response.status}`);
  const deadline = performance.now() + 30_000;
  while (pool.counters().received < count && performance.now() < deadline) await Bun.sleep(20);
}

/** Opens `clients` streams, publishes one event to them, waits `settleMs` for the server to settle, reads its RSS, closes them. */
export async function runIdle(peer: RunningPeer, clients: number, settleMs: number): Promise<IdleResult> {
  await Bun.sleep(300);
  const before = readProcStats(peer.pid);
  const t0 = performance.now();
  const pool = await SseClientPool.open({ host: "127.0.0.1", port: peer.port, path: peer.streamPath, count: clients });
  try {
    const connectSeconds = (performance.now() - t0) / 1000;
    await publishOne(peer, pool, pool.counters().open);
    await Bun.sleep(settleMs);
    const after = readProcStats(peer.pid);
    const { open, received } = pool.counters();
    return {
      requested: clients,
      open,
      rssBeforeKb: before.rssKb,
      rssAfterKb: after.rssKb,
      kbPerConnection: open > 0 ? (after.rssKb - before.rssKb) / open : Number.NaN,
      connectSeconds,
      gotEvent: received,
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
        log(
          `  ${name}: ${idle.open}/${idle.requested} open, ${idle.gotEvent} got the event, ${idle.kbPerConnection.toFixed(2)} KB/connection (${idle.connectSeconds.toFixed(1)} s to connect)`,
        );
        pushTo(this.#runs, name, idle);
      });
    }
  }

  report({ config }: ReportContext): ScenarioReport | undefined {
    if (this.#runs.size === 0) return undefined;
    const lines = [
      `### Idle connections: ${fmt(config.idleClients)}`,
      "",
      `Server RSS (VmRSS) before opening the streams, and ${config.idleSettleMs} ms after every stream received one published event`,
      "(so state a stream makes on its first event is counted); medians over rounds.",
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
    const measured = Number.isFinite(ours) && Number.isFinite(minimal);
    const targets = [2, 0.5].map(
      (allowance) =>
        `${allowance === 0.5 ? "(issue 19) " : ""}Idle KB/connection ≤ minimal broadcaster + ${allowance} KB: ${verdict(measured ? ours <= minimal + allowance : undefined)} ` +
        `(ours ${fmt(ours, 2)}, minimal ${fmt(minimal, 2)}: ${measured ? `${ours - minimal >= 0 ? "+" : ""}${fmt(ours - minimal, 2)} KB` : "–"})`,
    );
    return { lines, targets };
  }
}
