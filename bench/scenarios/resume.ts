/**
 * Resume storm: after `history` events, N clients connect at once with a Last-Event-ID
 * `back` events behind the newest; every one must receive those `back` events.
 */
import { fmt, verdict } from "../lib/stats.ts";
import { SseClientPool } from "../loadgen/sse-client-pool.ts";
import { readProcStats } from "../loadgen/proc-stats.ts";
import { markerMessage } from "../loadgen/publisher.ts";
import type { RunningPeer } from "../peers/start-peer.ts";
import type { ReportContext, Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";

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

/** `resume`: {@link runResume} on our server only (no peer keeps history). */
export class ResumeScenario implements Scenario {
  readonly name = "resume";
  readonly section = "servers";
  readonly repeat = "every round";
  readonly #storms: ResumeResult[] = [];

  async run(context: ScenarioContext): Promise<void> {
    const { config, log } = context;
    log(`round ${context.round + 1}: resume storm, ${config.resumeClients} clients ${config.resumeBack} events back`);
    await context.withPeer("ours", config.resumeClients + 100, async (peer) => {
      const storm = await runResume(peer, config.resumeClients, config.resumeHistory, config.resumeBack);
      log(`  ours: ${storm.caughtUp}/${storm.clients} caught up in ${storm.seconds.toFixed(2)} s, peak RSS ${(storm.peakRssKb / 1024).toFixed(1)} MB`);
      this.#storms.push(storm);
    });
  }

  report({ config }: ReportContext): ScenarioReport | undefined {
    if (this.#storms.length === 0) return undefined;
    const lines = [
      `### Resume storm: ${fmt(config.resumeClients)} clients, Last-Event-ID ${fmt(config.resumeBack)} events back`,
      "",
      `${fmt(config.resumeHistory)} events published first (default history: 1,000 events); then every client connects at once with the`,
      "same Last-Event-ID and must receive the events after it. Ours only: the minimal broadcaster, Elysia's pattern and",
      "better-sse keep no history, and Nchan's resume was not wired into this run.",
      "",
      "| round | caught up | seconds to all caught up | server CPU s | RSS before MB | peak RSS MB |",
      "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ];
    this.#storms.forEach((r, i) => {
      lines.push(
        `| ${i + 1} | ${fmt(r.caughtUp)}/${fmt(r.clients)} | ${fmt(r.seconds, 2)} | ${fmt(r.serverCpuSeconds, 2)} | ${fmt(r.rssBeforeKb / 1024, 1)} | ${fmt(r.peakRssKb / 1024, 1)} |`,
      );
    });
    const all = this.#storms.every((r) => r.caughtUp === r.clients);
    const target = `Resume storm: every client caught up: ${verdict(all)} (peak RSS ${fmt(Math.max(...this.#storms.map((r) => r.peakRssKb)) / 1024, 1)} MB)`;
    return { lines, targets: [target] };
  }
}
