/**
 * Fan-out: N clients on one peer, a publisher at increasing rates; per step, what arrived,
 * how late, and what it cost the server in CPU. Stops at the first step with loss or
 * p99 > 1 s (that rate is reported, the next ones are not tried).
 */
import { fmt, median, pushTo, ratio, verdict } from "../lib/stats.ts";
import { SseClientPool } from "../loadgen/sse-client-pool.ts";
import { readProcStats } from "../loadgen/proc-stats.ts";
import { spawnPublisher } from "../loadgen/publisher.ts";
import { BASELINE_PEER, PEER_LABELS, type PeerName, type RunningPeer } from "../peers/start-peer.ts";
import type { ReportContext, Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";

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
  /** Different orders the clients received the step's events in (1: all the same; see `SseClientPool.distinctOrders`). */
  readonly distinctOrders: number;
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
  /** Unmeasured publishing at the first rate before the first step, in seconds. */
  readonly warmUpSeconds: number;
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
    // Unmeasured publishing at the first rate: the first steps would otherwise carry each peer's
    // JIT warm-up, which grows with its code (at 50/s ours: ~0.94x the minimal broadcaster after
    // 1 s of it, ~1.06x after 20 s, bench/NOTES.md "The ladder's warm-up").
    const first = options.rates[0];
    if (first !== undefined) {
      const count = Math.max(1, Math.round(first * options.warmUpSeconds));
      const warmUp = await spawnPublisher({ url: `http://127.0.0.1:${peer.port}${peer.publishPath}`, rate: first, count });
      await waitForDrain(pool, warmUp.ok * pool.counters().open, 10_000);
    }
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
        distinctOrders: pool.distinctOrders(),
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
          (step.malformed > 0 ? `, ${step.malformed} malformed` : "") +
          (step.distinctOrders > 1 ? `, ${step.distinctOrders} different orders` : ""),
      );
      if (step.failed) break;
    }
  } finally {
    pool.close();
  }
  return steps;
}

/** The steps of every round at `rate`. */
function stepsAt(rounds: FanoutStep[][], rate: number): FanoutStep[] {
  return rounds.flatMap((steps) => steps.filter((step) => step.rate === rate));
}

/** The rates issue 19 judges unsaturated fan-out at (those of them the run has), and how far above the minimal broadcaster's p99 ours may be. */
const ISSUE_19_RATES: readonly number[] = [50, 200, 500];
const ISSUE_19_P99_SLACK_MS = 5;

/** The highest rate every round of `rounds` ran without loss and with p99 ≤ 1 s. */
function sustainedRate(rounds: FanoutStep[][], rates: readonly number[]): number {
  let best = 0;
  if (rounds.length === 0) return best;
  for (const rate of rates) {
    const steps = stepsAt(rounds, rate);
    if (steps.length < rounds.length || steps.some((step) => step.failed)) break;
    best = rate;
  }
  return best;
}

/** The highest rate every round of `rounds` reached and ran without loss (latency aside). */
function lossFreeRate(rounds: FanoutStep[][], rates: readonly number[]): number {
  let best = 0;
  if (rounds.length === 0) return best;
  for (const rate of rates) {
    const steps = stepsAt(rounds, rate);
    if (steps.length < rounds.length || steps.some((step) => step.lost > 0)) break;
    best = rate;
  }
  return best;
}

/** `fanout`: {@link runFanout} on every streaming peer, the rate ladder at `fanoutClients` clients. */
export class FanoutScenario implements Scenario {
  readonly name = "fanout";
  readonly section = "servers";
  readonly repeat = "every round";
  /** Per peer, per round, the rate ladder's steps. */
  readonly #rounds = new Map<PeerName, FanoutStep[][]>();

  async run(context: ScenarioContext): Promise<void> {
    const { config, log } = context;
    log(`round ${context.round + 1}: fan-out to ${config.fanoutClients} clients`);
    for (const name of context.peers) {
      await context.withPeer(name, config.fanoutClients + 100, async (peer) => {
        const steps = await runFanout(peer, { clients: config.fanoutClients, rates: config.fanoutRates, stepSeconds: config.stepSeconds, warmUpSeconds: config.fanoutWarmUpSeconds, log });
        pushTo(this.#rounds, name, steps);
      });
    }
  }

  report({ config, missing }: ReportContext): ScenarioReport | undefined {
    if (this.#rounds.size === 0) return undefined;
    const lines = [
      `### Fan-out: ${fmt(config.fanoutClients)} clients`,
      "",
      `Each step publishes for ${config.stepSeconds} s at the rate shown, after ${config.fanoutWarmUpSeconds} s unmeasured at the first rate (JIT warm-up); a peer stops at its first step with loss or p99 > 1 s.`,
      "Events/CPU-s = deliveries (events × clients received) per second of the server's CPU time (user + system, every",
      "thread, from its process CPU clock): the main figure, since the load generator shares the cores. Wall ev/s = deliveries per second of the step.",
      "Published/s is the rate the publisher achieved (it sends at most 32 requests ahead and stops after twice the planned time).",
      "Latency is publish-to-receipt (the publisher stamps each message). Medians over the rounds that reached the rate;",
      "loss is summed over rounds.",
      "",
      "| rate/s | peer | events/CPU-s | ours ÷ peer | wall ev/s | published/s | p50 ms | p99 ms | max ms | lost | rounds |",
      "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ];
    const ours = this.#rounds.get("ours") ?? [];
    for (const rate of config.fanoutRates) {
      const ourMedian = median(stepsAt(ours, rate).map((s) => s.eventsPerCpuSecond));
      for (const [name, rounds] of this.#rounds) {
        const steps = stepsAt(rounds, rate);
        if (steps.length === 0) continue;
        const perCpu = median(steps.map((s) => s.eventsPerCpuSecond));
        const lost = steps.reduce((sum, s) => sum + s.lost, 0);
        lines.push(
          `| ${fmt(rate)} | ${PEER_LABELS[name]} | ${fmt(perCpu)} | ${name === "ours" ? "" : ratio(ourMedian / perCpu)} | ` +
            `${fmt(median(steps.map((s) => s.deliveredPerSecond)))} | ${fmt(median(steps.map((s) => s.achievedRate)))} | ${fmt(median(steps.map((s) => s.p50Ms)), 1)} | ` +
            `${fmt(median(steps.map((s) => s.p99Ms)), 1)} | ${fmt(median(steps.map((s) => s.maxMs)), 1)} | ${fmt(lost)} | ${steps.length}/${rounds.length} |`,
        );
      }
    }
    lines.push("", "Highest rate sustained in every round (no loss, p99 ≤ 1 s):", "");
    for (const [name, rounds] of this.#rounds) lines.push(`- ${PEER_LABELS[name]}: ${fmt(sustainedRate(rounds, config.fanoutRates))} events/s`);

    // Targets: compare at every rate both ours and the peer reached in all rounds.
    const compare = (peer: PeerName): { worst: number; rates: string } | undefined => {
      const theirs = this.#rounds.get(peer);
      if (theirs === undefined || ours.length === 0) return undefined;
      const pairs = config.fanoutRates
        .map((rate) => ({ rate, ours: stepsAt(ours, rate), theirs: stepsAt(theirs, rate) }))
        .filter((p) => p.ours.length === ours.length && p.theirs.length === theirs.length && p.ours.length > 0);
      if (pairs.length === 0) return undefined;
      const ratios = pairs.map((p) => median(p.ours.map((s) => s.eventsPerCpuSecond)) / median(p.theirs.map((s) => s.eventsPerCpuSecond)));
      return { worst: Math.min(...ratios), rates: pairs.map((p, i) => `${p.rate}/s ${ratio(ratios[i] as number)}`).join(", ") };
    };
    const targets: string[] = [];
    const vsMinimal = compare(BASELINE_PEER);
    targets.push(
      `Fan-out events/CPU-s ≥ 0.9× the minimal Bun broadcaster at every common rate: ${verdict(vsMinimal && vsMinimal.worst >= 0.9)} (${vsMinimal?.rates ?? "–"})`,
    );
    for (const peer of ["elysia-generator", "better-sse"] as PeerName[]) {
      const against = compare(peer);
      targets.push(`Fan-out ahead of ${PEER_LABELS[peer]}: ${verdict(against && against.worst > 1)} (${against?.rates ?? "–"})`);
    }
    // Issue 19: at each of its rates, the CPU ratio and the p99 against the minimal broadcaster's, both medians over rounds.
    const issueRates = ISSUE_19_RATES.filter((rate) => config.fanoutRates.includes(rate));
    const perRate = issueRates.map((rate) => {
      const mine = stepsAt(ours, rate);
      const theirs = stepsAt(this.#rounds.get(BASELINE_PEER) ?? [], rate);
      if (mine.length === 0 || theirs.length === 0) return { rate, cpu: undefined, perRound: [], p99: undefined, theirP99: undefined };
      const cpu = median(mine.map((s) => s.eventsPerCpuSecond)) / median(theirs.map((s) => s.eventsPerCpuSecond));
      // Each round measures both within minutes of each other: its own ratio shows how far one round's noise reaches.
      const perRound = mine.length === theirs.length ? mine.map((s, i) => s.eventsPerCpuSecond / (theirs[i] as FanoutStep).eventsPerCpuSecond) : [];
      return { rate, cpu, perRound, p99: median(mine.map((s) => s.p99Ms)), theirP99: median(theirs.map((s) => s.p99Ms)) };
    });
    const all = (test: (row: (typeof perRate)[number]) => boolean | undefined): boolean | undefined =>
      perRate.length === 0 || perRate.some((row) => row.cpu === undefined) ? undefined : perRate.every((row) => test(row) === true);
    const rateList = issueRates.map((rate) => `${fmt(rate)}`).join(", ");
    targets.push(
      `(issue 19) Fan-out events/CPU-s ≥ 1.0× the minimal Bun broadcaster at ${rateList}/s: ${verdict(all((row) => (row.cpu as number) >= 1))} ` +
        `(${perRate.map((row) => `${fmt(row.rate)}/s ${row.cpu === undefined ? "–" : ratio(row.cpu)}${row.perRound.length > 1 ? ` [rounds ${row.perRound.map(ratio).join(", ")}]` : ""}`).join(", ") || "–"})`,
      `(issue 19) Fan-out p99 ≤ the minimal Bun broadcaster's p99 + ${ISSUE_19_P99_SLACK_MS} ms at ${rateList}/s: ` +
        `${verdict(all((row) => (row.p99 as number) <= (row.theirP99 as number) + ISSUE_19_P99_SLACK_MS))} ` +
        `(${perRate.map((row) => `${fmt(row.rate)}/s ${row.p99 === undefined ? "–" : `${fmt(row.p99, 1)} vs ${fmt(row.theirP99 as number, 1)} ms`}`).join(", ") || "–"})`,
    );
    const vsNchan = compare("nchan");
    targets.push(`Fan-out ratio to Nchan (reported, no target): ${vsNchan?.rates ?? missing.get("nchan") ?? "–"}`);
    // Loss and latency are separate targets: a step that stopped the ladder on p99 > 1 s lost nothing.
    const minimal = this.#rounds.get(BASELINE_PEER) ?? [];
    const minimalLossFree = lossFreeRate(minimal, config.fanoutRates);
    const checkedRates = config.fanoutRates.filter((rate) => rate <= minimalLossFree);
    const ourLost = checkedRates.flatMap((rate) => stepsAt(ours, rate)).reduce((sum, s) => sum + s.lost, 0);
    const unreached = checkedRates.filter((rate) => stepsAt(ours, rate).length < ours.length);
    const lossVerdict =
      ours.length === 0 ? verdict(undefined) : ourLost > 0 ? verdict(false) : unreached.length === 0 ? verdict(true) : "**not shown**";
    targets.push(
      `Zero loss at every rate the minimal broadcaster runs without loss (up to ${fmt(minimalLossFree)}/s): ${lossVerdict} ` +
        `(ours lost ${fmt(ourLost)} there` +
        (unreached.length > 0 ? `; not reached in every round, the ladder having stopped on p99 > 1 s: ${unreached.map((r) => `${fmt(r)}/s`).join(", ")}` : "") +
        `; highest rate with no loss and p99 ≤ 1 s in every round: ours ${fmt(sustainedRate(ours, config.fanoutRates))}/s, minimal ${fmt(sustainedRate(minimal, config.fanoutRates))}/s)`,
    );
    return { lines, targets };
  }
}
