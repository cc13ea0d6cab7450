/**
 * Bursts (issue 19, target 3): a publisher sends `BURST_EVENTS` events at once, in one POST,
 * to `CLIENTS` SSE clients. Ours takes them as one `POST /events/publish` array (stored in one
 * step, delivered in one synchronous step, so each client's frames go out together); the
 * minimal broadcaster takes the same array and enqueues each event to each client as it goes,
 * as a hand-written broadcaster would. Per peer: the time from the POST to the last event at
 * the last client, the server CPU per burst, and (strace -c, in windows of their own) the
 * socket writes per client per burst.
 */
import { fmt, median, percentile, ratio, verdict } from "../lib/stats.ts";
import { readProcStats } from "../loadgen/proc-stats.ts";
import { markerMessage } from "../loadgen/publisher.ts";
import { SseClientPool } from "../loadgen/sse-client-pool.ts";
import { countSocketWrites } from "../loadgen/syscall-count.ts";
import { PEER_LABELS, type PeerName, type RunningPeer } from "../peers/start-peer.ts";
import type { ReportContext, Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";

const BURST_EVENTS = 100;
const MESSAGE_LENGTH = 64;
/** The peers with an array publish endpoint. */
const BURST_PEERS: readonly PeerName[] = ["ours", "minimal-bun"];

/** Sizes: clients, timed bursts, bursts counted under strace. */
function sizes(quick: boolean): { clients: number; bursts: number; tracedBursts: number } {
  return quick ? { clients: 200, bursts: 3, tracedBursts: 1 } : { clients: 1000, bursts: 10, tracedBursts: 3 };
}

/** One peer's figures in one round. */
interface BurstRound {
  readonly peer: PeerName;
  readonly clients: number;
  /** Per burst: from sending the POST until every client had every event (ms, polled every ms). */
  readonly deliveredMs: readonly number[];
  /** Per burst: the oldest marker's age when the last one arrived (publish stamp → last arrival, ms). */
  readonly lastArrivalMs: readonly number[];
  readonly cpuMsPerBurst: number;
  /** Socket write calls per client per burst (undefined: not counted, see `writesNote`). */
  readonly writesPerClient: number | undefined;
  readonly writesNote: string | undefined;
  /** Every client got every event of every burst, in one and the same order. */
  readonly exact: boolean;
}

/** The POST of one burst for `peer`: ours publishes the array form, the minimal peer its own. */
function burstRequest(peer: RunningPeer, firstSeq: number): { url: string; body: string } {
  const messages = Array.from({ length: BURST_EVENTS }, (_, index) => markerMessage(firstSeq + index, MESSAGE_LENGTH));
  if (peer.name === "ours") {
    return { url: `http://127.0.0.1:${peer.port}/events/publish`, body: JSON.stringify(messages.map((message) => ({ topic: "events", data: { message } }))) };
  }
  return { url: `http://127.0.0.1:${peer.port}${peer.publishPath}`, body: JSON.stringify(messages.map((message) => ({ message }))) };
}

async function sendBurst(peer: RunningPeer, firstSeq: number): Promise<void> {
  const { url, body } = burstRequest(peer, firstSeq);
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  if (!response.ok) throw new Error(`burst POST answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  const answers = (await response.json()) as unknown[];
  if (!Array.isArray(answers) || answers.length !== BURST_EVENTS) throw new Error(`burst POST answered ${JSON.stringify(answers).slice(0, 200)}`);
}

/** Sends one burst and waits until the pool has `expected` markers; the time it took (ms). */
async function timedBurst(peer: RunningPeer, pool: SseClientPool, firstSeq: number, expected: number): Promise<number> {
  const start = performance.now();
  await sendBurst(peer, firstSeq);
  const deadline = start + 15_000;
  while (pool.counters().received < expected) {
    if (performance.now() > deadline) throw new Error(`burst not delivered within 15 s (${pool.counters().received} of ${expected} events)`);
    await Bun.sleep(1);
  }
  return performance.now() - start;
}

/** Runs the bursts of one round against one peer. */
async function runBursts(peer: RunningPeer, quick: boolean): Promise<BurstRound> {
  const { clients, bursts, tracedBursts } = sizes(quick);
  const pool = await SseClientPool.open({ host: "127.0.0.1", port: peer.port, path: peer.streamPath, count: clients, connectConcurrency: 500 });
  try {
    if (pool.counters().open < clients) throw new Error(`only ${pool.counters().open} of ${clients} clients connected`);
    let seq = 0;
    const perBurst = BURST_EVENTS * clients;
    // Warm-up (JIT), then the timed bursts, each from a quiet server.
    for (let burst = 0; burst < 3; burst++, seq += BURST_EVENTS) await timedBurst(peer, pool, seq, perBurst * (burst + 1));
    pool.resetCounters();
    const deliveredMs: number[] = [];
    const lastArrivalMs: number[] = [];
    let exact = true;
    const cpuBefore = readProcStats(peer.pid).cpuSeconds;
    for (let burst = 0; burst < bursts; burst++, seq += BURST_EVENTS) {
      pool.latency.reset();
      deliveredMs.push(await timedBurst(peer, pool, seq, perBurst * (burst + 1)));
      lastArrivalMs.push(pool.latency.summary().maxMs);
      await Bun.sleep(100);
    }
    const cpuMsPerBurst = ((readProcStats(peer.pid).cpuSeconds - cpuBefore) * 1000) / bursts;
    const counters = pool.counters();
    if (counters.received !== perBurst * bursts || counters.malformed !== 0 || pool.distinctOrders() !== 1) exact = false;
    let writesPerClient: number | undefined;
    let writesNote: string | undefined;
    try {
      const count = await countSocketWrites(peer.pid);
      const before = pool.counters().received;
      for (let burst = 0; burst < tracedBursts; burst++, seq += BURST_EVENTS) await timedBurst(peer, pool, seq, before + perBurst * (burst + 1));
      const calls = await count.stop();
      // Less the one write of each POST's answer.
      const total = Object.values(calls).reduce((sum, n) => sum + n, 0) - tracedBursts;
      writesPerClient = total / (tracedBursts * clients);
    } catch (error) {
      writesNote = error instanceof Error ? error.message : String(error);
    }
    return { peer: peer.name, clients, deliveredMs, lastArrivalMs, cpuMsPerBurst, writesPerClient, writesNote, exact };
  } finally {
    pool.close();
  }
}

/** `burst`: ours and the minimal broadcaster, each round. */
export class BurstScenario implements Scenario {
  readonly name = "burst";
  readonly section = "bursts";
  readonly repeat = "every round";
  readonly #rounds: BurstRound[] = [];

  async run(context: ScenarioContext): Promise<void> {
    const { clients } = sizes(context.quick);
    const peers = context.peers.filter((peer) => BURST_PEERS.includes(peer));
    for (const name of peers) {
      context.log(`round ${context.round + 1}: burst of ${BURST_EVENTS} events in one POST to ${clients} clients, ${PEER_LABELS[name]}`);
      await context.withPeer(name, clients + 100, async (peer) => {
        const round = await runBursts(peer, context.quick);
        context.log(
          `  delivered in ${fmt(median(round.deliveredMs), 1)} ms (median), ${fmt(round.cpuMsPerBurst, 1)} ms CPU per burst, ` +
            `${round.writesPerClient === undefined ? `writes not counted (${round.writesNote})` : `${fmt(round.writesPerClient, 2)} writes per client per burst`}`,
        );
        this.#rounds.push(round);
      });
    }
  }

  report(_context: ReportContext): ScenarioReport | undefined {
    if (this.#rounds.length === 0) return undefined;
    const clients = this.#rounds[0]?.clients ?? 0;
    const lines = [
      `### Bursts: ${BURST_EVENTS} events in one POST to ${fmt(clients)} clients`,
      "",
      `Ours: one \`POST /events/publish\` with an array of ${BURST_EVENTS} events (stored all or none, delivered in one step); the minimal`,
      "broadcaster: the same array on its `/publish`, each event enqueued to each client in turn. Delivered = from sending the POST until",
      `every client had all ${BURST_EVENTS} events (polled every ms; median and p90 over the round's bursts); last arrival = the oldest marker's`,
      "age when the last one arrived. Writes = the server's write/writev/sendto/sendmsg calls under `strace -c -f` in bursts of their",
      "own (not timed), less one per POST answer, per client per burst.",
      "",
      "| round | peer | delivered median ms | delivered p90 ms | last arrival median ms | CPU ms per burst | socket writes per client per burst | every event, same order |",
      "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ];
    const rounds = new Map<PeerName, BurstRound[]>();
    for (const round of this.#rounds) {
      const list = rounds.get(round.peer) ?? [];
      list.push(round);
      rounds.set(round.peer, list);
      const sorted = [...round.deliveredMs].sort((a, b) => a - b);
      lines.push(
        `| ${list.length} | ${PEER_LABELS[round.peer]} | ${fmt(median(round.deliveredMs), 1)} | ${fmt(percentile(sorted, 0.9), 1)} | ${fmt(median(round.lastArrivalMs), 1)} | ` +
          `${fmt(round.cpuMsPerBurst, 1)} | ${round.writesPerClient === undefined ? `not counted (${round.writesNote})` : fmt(round.writesPerClient, 2)} | ${round.exact ? "yes" : "**no**"} |`,
      );
    }
    const ours = rounds.get("ours") ?? [];
    const minimal = rounds.get("minimal-bun") ?? [];
    const oursWrites = median(ours.map((round) => round.writesPerClient ?? Number.NaN));
    const minimalWrites = median(minimal.map((round) => round.writesPerClient ?? Number.NaN));
    const deliveredRatio = median(ours.map((round) => median(round.deliveredMs))) / median(minimal.map((round) => median(round.deliveredMs)));
    const cpuRatio = median(ours.map((round) => round.cpuMsPerBurst)) / median(minimal.map((round) => round.cpuMsPerBurst));
    const exact = ours.every((round) => round.exact);
    const targets = [
      `Bursts: ${BURST_EVENTS} events in one POST reach ${fmt(clients)} clients in one socket write per client (≤ 1.1 counted): ` +
        `${verdict(Number.isFinite(oursWrites) ? oursWrites <= 1.1 && exact : undefined)} (ours ${fmt(oursWrites, 2)}, the minimal broadcaster ${fmt(minimalWrites, 2)} writes per client per burst; every event once, in order: ${exact ? "yes" : "**no**"})`,
      `Bursts: time to deliver the whole burst to every client, ours ÷ the minimal broadcaster: ${ratio(deliveredRatio)} (CPU per burst ${ratio(cpuRatio)}; lower is better)`,
    ];
    return { lines, targets };
  }
}
