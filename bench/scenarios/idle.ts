/**
 * Idle connections: server RSS before and after opening N quiet streams, in KiB per connection.
 */
import { SseClientPool } from "../loadgen/sse-client-pool.ts";
import { readProcStats } from "../loadgen/proc-stats.ts";
import type { RunningPeer } from "../peers/start-peer.ts";

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
