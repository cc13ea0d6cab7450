/**
 * Resume storm: after `history` events, N clients connect at once with a Last-Event-ID
 * `back` events behind the newest; every one must receive those `back` events.
 */
import { SseClientPool } from "../loadgen/sse-client-pool.ts";
import { readProcStats } from "../loadgen/proc-stats.ts";
import { markerMessage } from "../loadgen/publisher.ts";
import type { RunningPeer } from "../peers/start-peer.ts";

/** What one storm measured. */
export interface ResumeResult {
  readonly clients: number;
  readonly back: number;
  readonly caughtUp: number;
  /** From the first connect until every client had its `back` events (or the timeout). */
  readonly seconds: number;
  readonly serverCpuSeconds: number;
  readonly rssBeforeKb: number;
  /** The server's peak RSS (VmHWM) after the storm, KiB. */
  readonly peakRssKb: number;
  readonly malformed: number;
}

/** Publishes `history` events, then storms with `clients` resuming `back` events behind. */
export async function runResume(peer: RunningPeer, clients: number, history: number, back: number): Promise<ResumeResult> {
  const url = `http://127.0.0.1:${peer.port}${peer.publishPath}`;
  const ids: string[] = [];
  for (let seq = 0; seq < history; seq += 1) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: markerMessage(seq, 64) }),
    });
    const { id } = (await response.json()) as { id: string };
    ids.push(id);
  }
  const lastEventId = ids[history - back - 1];
  if (lastEventId === undefined) throw new Error(`resume: need history > back (${history} <= ${back})`);
  const before = readProcStats(peer.pid);
  const t0 = performance.now();
  const pool = await SseClientPool.open({
    host: "127.0.0.1",
    port: peer.port,
    path: peer.streamPath,
    count: clients,
    headers: { "last-event-id": lastEventId },
    connectConcurrency: clients,
    catchUpTarget: back,
  });
  try {
    const deadline = performance.now() + 30_000;
    while (pool.counters().caughtUp < clients && performance.now() < deadline) await Bun.sleep(10);
    const seconds = (performance.now() - t0) / 1000;
    const after = readProcStats(peer.pid);
    const counters = pool.counters();
    return {
      clients,
      back,
      caughtUp: counters.caughtUp,
      seconds,
      serverCpuSeconds: after.cpuSeconds - before.cpuSeconds,
      rssBeforeKb: before.rssKb,
      peakRssKb: after.peakRssKb,
      malformed: counters.malformed,
    };
  } finally {
    pool.close();
  }
}
