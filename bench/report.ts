/**
 * Turns the rounds of `bench/run.ts` into the Markdown of bench/RESULTS.md: medians per
 * peer, ratios of ours to each peer, and the issue's targets with a verdict each.
 */
import type { FanoutStep } from "./scenarios/fanout.ts";
import type { IdleResult } from "./scenarios/idle.ts";
import type { ResumeResult } from "./scenarios/resume.ts";
import type { TriggerResult } from "./scenarios/trigger.ts";
import { PEER_LABELS, type PeerName } from "./peers/start-peer.ts";
import { fmt, median, ratio } from "./stats.ts";

/** Sizes of one run (full or quick). */
export interface BenchConfig {
  rounds: number;
  fanoutClients: number;
  fanoutRates: readonly number[];
  stepSeconds: number;
  bigClients: number;
  bigRate: number;
  bigStepSeconds: number;
  idleClients: number;
  idleSettleMs: number;
  triggerConcurrency: number;
  triggerMs: number;
  resumeClients: number;
  resumeHistory: number;
  resumeBack: number;
}

/** Everything one run measured. */
export interface BenchResults {
  /** Per peer, per round, the rate ladder's steps. */
  fanout: Map<PeerName, FanoutStep[][]>;
  /** Per peer, one step per round. */
  big: Map<PeerName, FanoutStep[]>;
  idle: Map<PeerName, IdleResult[]>;
  trigger: Map<PeerName, TriggerResult[]>;
  resume: ResumeResult[];
  /** Peers that could not run, with why (Nchan not installable). */
  missing: Map<PeerName, string>;
  errors: string[];
  machine: { nproc: string; memory: string; kernel: string; cpu: string; loadBefore: string; loadAfter: string; date: string };
  versions: { bun: string; node: string; nginx: string; nchan: string; elysia: string; betterSse: string };
  command: string;
  config: BenchConfig;
  seconds: number;
}

const BASELINE: PeerName = "minimal-bun";

function stepsAt(rounds: FanoutStep[][], rate: number): FanoutStep[] {
  return rounds.flatMap((steps) => steps.filter((step) => step.rate === rate));
}

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

function verdict(pass: boolean | undefined): string {
  return pass === undefined ? "not measured" : pass ? "**met**" : "**missed**";
}

function fanoutSection(results: BenchResults, targets: string[]): string[] {
  const { config } = results;
  const lines = [
    `### Fan-out: ${fmt(config.fanoutClients)} clients`,
    "",
    `Each step publishes for ${config.stepSeconds} s at the rate shown; a peer stops at its first step with loss or p99 > 1 s.`,
    "Events/CPU-s = deliveries (events × clients received) per second of the server's CPU time (user + system, from",
    "/proc): the main figure, since the load generator shares the cores. Wall ev/s = deliveries per second of the step.",
    "Published/s is the rate the publisher achieved (it sends at most 32 requests ahead and stops after twice the planned time).",
    "Latency is publish-to-receipt (the publisher stamps each message). Medians over the rounds that reached the rate;",
    "loss is summed over rounds.",
    "",
    "| rate/s | peer | events/CPU-s | ours ÷ peer | wall ev/s | published/s | p50 ms | p99 ms | max ms | lost | rounds |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const ours = results.fanout.get("ours") ?? [];
  for (const rate of config.fanoutRates) {
    const ourMedian = median(stepsAt(ours, rate).map((s) => s.eventsPerCpuSecond));
    for (const [name, rounds] of results.fanout) {
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
  for (const [name, rounds] of results.fanout) lines.push(`- ${PEER_LABELS[name]}: ${fmt(sustainedRate(rounds, config.fanoutRates))} events/s`);

  // Targets: compare at every rate both ours and the peer reached in all rounds.
  const compare = (peer: PeerName): { worst: number; rates: string } | undefined => {
    const theirs = results.fanout.get(peer);
    if (theirs === undefined || ours.length === 0) return undefined;
    const pairs = config.fanoutRates
      .map((rate) => ({ rate, ours: stepsAt(ours, rate), theirs: stepsAt(theirs, rate) }))
      .filter((p) => p.ours.length === ours.length && p.theirs.length === theirs.length && p.ours.length > 0);
    if (pairs.length === 0) return undefined;
    const ratios = pairs.map((p) => median(p.ours.map((s) => s.eventsPerCpuSecond)) / median(p.theirs.map((s) => s.eventsPerCpuSecond)));
    return { worst: Math.min(...ratios), rates: pairs.map((p, i) => `${p.rate}/s ${ratio(ratios[i] as number)}`).join(", ") };
  };
  const vsMinimal = compare(BASELINE);
  targets.push(
    `Fan-out events/CPU-s ≥ 0.9× the minimal Bun broadcaster at every common rate: ${verdict(vsMinimal && vsMinimal.worst >= 0.9)} (${vsMinimal?.rates ?? "–"})`,
  );
  for (const peer of ["elysia-generator", "better-sse"] as PeerName[]) {
    const against = compare(peer);
    targets.push(`Fan-out ahead of ${PEER_LABELS[peer]}: ${verdict(against && against.worst > 1)} (${against?.rates ?? "–"})`);
  }
  const vsNchan = compare("nchan");
  targets.push(`Fan-out ratio to Nchan (reported, no target): ${vsNchan?.rates ?? results.missing.get("nchan") ?? "–"}`);
  // Loss and latency are separate targets: a step that stopped the ladder on p99 > 1 s lost nothing.
  const minimalLossFree = lossFreeRate(results.fanout.get(BASELINE) ?? [], config.fanoutRates);
  const checkedRates = config.fanoutRates.filter((rate) => rate <= minimalLossFree);
  const ourLost = checkedRates.flatMap((rate) => stepsAt(ours, rate)).reduce((sum, s) => sum + s.lost, 0);
  const unreached = checkedRates.filter((rate) => stepsAt(ours, rate).length < ours.length);
  const lossVerdict =
    ours.length === 0 ? verdict(undefined) : ourLost > 0 ? verdict(false) : unreached.length === 0 ? verdict(true) : "**not shown**";
  targets.push(
    `Zero loss at every rate the minimal broadcaster runs without loss (up to ${fmt(minimalLossFree)}/s): ${lossVerdict} ` +
      `(ours lost ${fmt(ourLost)} there` +
      (unreached.length > 0 ? `; not reached in every round, the ladder having stopped on p99 > 1 s: ${unreached.map((r) => `${fmt(r)}/s`).join(", ")}` : "") +
      `; highest rate with no loss and p99 ≤ 1 s in every round: ours ${fmt(sustainedRate(ours, config.fanoutRates))}/s, minimal ${fmt(sustainedRate(results.fanout.get(BASELINE) ?? [], config.fanoutRates))}/s)`,
  );
  return lines;
}

function bigSection(results: BenchResults): string[] {
  const { config } = results;
  const lines = [
    `### Fan-out: ${fmt(config.bigClients)} clients at ${fmt(config.bigRate)} events/s`,
    "",
    `${config.bigStepSeconds} s of publishing per round; medians over rounds, loss summed.`,
    "",
    "| peer | events/CPU-s | ours ÷ peer | wall ev/s | p50 ms | p99 ms | max ms | lost | dropped | server RSS MB |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const ours = median((results.big.get("ours") ?? []).map((s) => s.eventsPerCpuSecond));
  for (const [name, steps] of results.big) {
    const perCpu = median(steps.map((s) => s.eventsPerCpuSecond));
    lines.push(
      `| ${PEER_LABELS[name]} | ${fmt(perCpu)} | ${name === "ours" ? "" : ratio(ours / perCpu)} | ${fmt(median(steps.map((s) => s.deliveredPerSecond)))} | ` +
        `${fmt(median(steps.map((s) => s.p50Ms)), 1)} | ${fmt(median(steps.map((s) => s.p99Ms)), 1)} | ${fmt(median(steps.map((s) => s.maxMs)), 1)} | ` +
        `${fmt(steps.reduce((sum, s) => sum + s.lost, 0))} | ${fmt(steps.reduce((sum, s) => sum + s.dropped, 0))} | ${fmt(median(steps.map((s) => s.rssKb)) / 1024, 1)} |`,
    );
  }
  return lines;
}

function idleSection(results: BenchResults, targets: string[]): string[] {
  const lines = [
    `### Idle connections: ${fmt(results.config.idleClients)}`,
    "",
    `Server RSS (VmRSS) before opening the streams and ${results.config.idleSettleMs} ms after the last one answered; medians over rounds.`,
    "",
    "| peer | open | RSS before MB | RSS after MB | KB per connection | vs minimal |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  const minimal = median((results.idle.get(BASELINE) ?? []).map((r) => r.kbPerConnection));
  for (const [name, runs] of results.idle) {
    const kb = median(runs.map((r) => r.kbPerConnection));
    lines.push(
      `| ${PEER_LABELS[name]} | ${fmt(Math.min(...runs.map((r) => r.open)))} | ${fmt(median(runs.map((r) => r.rssBeforeKb)) / 1024, 1)} | ` +
        `${fmt(median(runs.map((r) => r.rssAfterKb)) / 1024, 1)} | ${fmt(kb, 2)} | ${name === BASELINE ? "" : `${kb - minimal >= 0 ? "+" : ""}${fmt(kb - minimal, 2)} KB`} |`,
    );
  }
  const ours = median((results.idle.get("ours") ?? []).map((r) => r.kbPerConnection));
  targets.push(
    `Idle KB/connection ≤ minimal broadcaster + 2 KB: ${verdict(Number.isFinite(ours) && Number.isFinite(minimal) ? ours <= minimal + 2 : undefined)} (ours ${fmt(ours, 2)}, minimal ${fmt(minimal, 2)})`,
  );
  return lines;
}

function triggerSection(results: BenchResults, targets: string[]): string[] {
  const lines = [
    `### Trigger throughput, no subscribers, concurrency ${results.config.triggerConcurrency}`,
    "",
    `Closed loop over raw TCP keep-alive connections for ${results.config.triggerMs / 1000} s per peer per round, after a warm-up of the same length (at most 2 s, so every peer is measured in its JIT steady state).`,
    "Both peers run at once and are loaded in turn, in six alternating windows (A B B A A B), so a drift in the machine's speed falls on both alike; medians over rounds.",
    "",
    "| peer | requests/s | requests/CPU-s | errors |",
    "| --- | ---: | ---: | ---: |",
  ];
  for (const [name, runs] of results.trigger) {
    lines.push(
      `| ${PEER_LABELS[name]} | ${fmt(median(runs.map((r) => r.requestsPerSecond)))} | ${fmt(median(runs.map((r) => r.requestsPerCpuSecond)))} | ${fmt(runs.reduce((s, r) => s + r.errors, 0))} |`,
    );
  }
  const ours = median((results.trigger.get("ours") ?? []).map((r) => r.requestsPerSecond));
  const bare = median((results.trigger.get("elysia-post") ?? []).map((r) => r.requestsPerSecond));
  const oursCpu = median((results.trigger.get("ours") ?? []).map((r) => r.requestsPerCpuSecond));
  const bareCpu = median((results.trigger.get("elysia-post") ?? []).map((r) => r.requestsPerCpuSecond));
  // Both peers are measured in the same windows of each round: the per-round ratios show the spread.
  const oursRuns = results.trigger.get("ours") ?? [];
  const bareRuns = results.trigger.get("elysia-post") ?? [];
  const perRound = oursRuns.map((run, i) => run.requestsPerSecond / (bareRuns[i]?.requestsPerSecond ?? Number.NaN));
  lines.push(
    "",
    `Ours ÷ bare Elysia: ${ratio(ours / bare)} in requests/s, ${ratio(oursCpu / bareCpu)} in requests/CPU-s (each round: ${perRound.map(ratio).join(", ")}).`,
  );
  targets.push(`Trigger ≥ 0.8× the bare Elysia POST route's requests/s: ${verdict(Number.isFinite(ours / bare) ? ours / bare >= 0.8 : undefined)} (${ratio(ours / bare)})`);
  return lines;
}

function resumeSection(results: BenchResults, targets: string[]): string[] {
  const { config } = results;
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
  results.resume.forEach((r, i) => {
    lines.push(
      `| ${i + 1} | ${fmt(r.caughtUp)}/${fmt(r.clients)} | ${fmt(r.seconds, 2)} | ${fmt(r.serverCpuSeconds, 2)} | ${fmt(r.rssBeforeKb / 1024, 1)} | ${fmt(r.peakRssKb / 1024, 1)} |`,
    );
  });
  const all = results.resume.length > 0 && results.resume.every((r) => r.caughtUp === r.clients);
  targets.push(
    `Resume storm: every client caught up: ${verdict(results.resume.length > 0 ? all : undefined)} (peak RSS ${fmt(Math.max(...results.resume.map((r) => r.peakRssKb)) / 1024, 1)} MB)`,
  );
  return lines;
}

/** The Markdown of this script's sections. */
export function renderReport(results: BenchResults): string {
  const { machine, versions, config } = results;
  const targets: string[] = [];
  const sections: string[][] = [];
  if (results.fanout.size > 0) sections.push(fanoutSection(results, targets));
  if (results.big.size > 0) sections.push(bigSection(results));
  if (results.idle.size > 0) sections.push(idleSection(results, targets));
  if (results.trigger.size > 0) sections.push(triggerSection(results, targets));
  if (results.resume.length > 0) sections.push(resumeSection(results, targets));
  const head = [
    "## Servers: fan-out, idle memory, trigger, resume storm",
    "",
    `Written by \`${results.command}\` (bench/run.ts) on ${machine.date}, ${fmt(results.seconds)} s, ${config.rounds} interleaved round(s):`,
    "each round starts every peer as its own process on a loopback port, in a rotated order, with fresh connections.",
    "",
    `- Machine: ${machine.nproc} cores (${machine.cpu}), ${machine.memory} RAM, ${machine.kernel}; load average ${machine.loadBefore} before, ${machine.loadAfter} after`,
    "  (the cores are shared with the load generator and publisher, and with any other job running at the time).",
    `- Versions: Bun ${versions.bun}, Node ${versions.node}, nginx ${versions.nginx}, Nchan (libnginx-mod-nchan) ${versions.nchan}, Elysia ${versions.elysia}, better-sse ${versions.betterSse}.`,
    "- Peers: ours = `bun packages/server/src/runtime/bun.ts --host 127.0.0.1 --max-clients N` (defaults otherwise: history 1,000,",
    "  keepalive 15 s, 1 MiB per-client buffer); minimal Bun.serve broadcaster (bench/peers/minimal-bun.ts); Elysia's `sse()` generator,",
    "  one async generator per client (bench/peers/elysia-generator.ts); better-sse channel on Node http (bench/peers/better-sse-node.mjs);",
    "  Nchan, nginx with one worker (bench/peers/nchan.ts). Every peer sends the same `data: {\"message\":\"...\"}` frames (64-character messages).",
    "- Load: bench/loadgen: raw-TCP SSE clients (`Bun.connect`), a fixed-rate publisher in its own process, CPU and RSS from /proc/<pid>.",
  ];
  for (const [name, reason] of results.missing) head.push(`- **${PEER_LABELS[name]} was not measured**: ${reason}.`);
  for (const error of results.errors) head.push(`- **Error**: ${error}`);
  const body = sections.flatMap((section) => ["", ...section]);
  const targetLines = targets.length > 0 ? ["", "### Targets (issue 8)", "", ...targets.map((t) => `- ${t}`)] : [];
  return [...head, ...targetLines, ...body].join("\n");
}
