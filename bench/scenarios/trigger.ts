/**
 * Trigger throughput with no subscribers: closed-loop POSTs of `{"message": ...}` at a fixed
 * concurrency, requests per second and per server CPU-second.
 */
import { fmt, median, pushTo, ratio, verdict } from "../lib/stats.ts";
import { runHttpLoad } from "../loadgen/http-load.ts";
import { readProcStats } from "../loadgen/proc-stats.ts";
import { PEER_LABELS, type PeerName, type RunningPeer } from "../peers/start-peer.ts";
import type { ReportContext, Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";

/** What one trigger run measured. */
export interface TriggerResult {
  readonly requestsPerSecond: number;
  readonly requestsPerCpuSecond: number;
  readonly ok: number;
  readonly errors: number;
  readonly serverCpuSeconds: number;
}

/** How {@link runTriggerPaired} loads the peers. */
export interface TriggerLoadOptions {
  /** Connections per peer, each with one request in flight. */
  readonly concurrency: number;
  /** Measured time per peer, in ms, split into `windows` alternating windows. */
  readonly durationMs: number;
  /** How many windows each peer's time is split into. @default 6 */
  readonly windows?: number;
}

const MESSAGE = JSON.stringify({ message: "hello from the trigger benchmark, a message of about sixty-four b" });

function loadFor(peer: RunningPeer, concurrency: number, durationMs: number) {
  return runHttpLoad({
    host: "127.0.0.1",
    port: peer.port,
    method: "POST",
    path: peer.publishPath,
    headers: { "content-type": "application/json" },
    body: MESSAGE,
    concurrency,
    durationMs,
  });
}

/**
 * Measures several running peers in short windows that alternate between them (A B B A A B
 * ...), so a change in the machine's speed during the run (the cores are shared; loopback
 * figures drift by ±10% over tens of seconds here) falls on every peer alike instead of on
 * whichever ran during it. Each peer first gets a warm-up as long as its share (at most 2 s):
 * a fresh server's JIT is still compiling the request path for the first second or two, and
 * the figure wanted is the steady state of a running server, for every peer alike.
 */
export async function runTriggerPaired(peers: readonly RunningPeer[], options: TriggerLoadOptions): Promise<Map<RunningPeer, TriggerResult>> {
  const windows = options.windows ?? 6;
  const windowMs = options.durationMs / windows;
  for (const peer of peers) await loadFor(peer, options.concurrency, Math.min(2000, options.durationMs));
  const totals = new Map(peers.map((peer) => [peer, { ok: 0, errors: 0, elapsedMs: 0, cpu: 0 }]));
  for (let window = 0; window < windows; window++) {
    // Reversed every other window: each peer runs first as often as last.
    const order = window % 2 === 0 ? peers : [...peers].reverse();
    for (const peer of order) {
      const before = readProcStats(peer.pid).cpuSeconds;
      const result = await loadFor(peer, options.concurrency, windowMs);
      const total = totals.get(peer) as { ok: number; errors: number; elapsedMs: number; cpu: number };
      total.cpu += readProcStats(peer.pid).cpuSeconds - before;
      total.ok += result.ok;
      total.errors += result.errors;
      total.elapsedMs += result.elapsedMs;
    }
  }
  const results = new Map<RunningPeer, TriggerResult>();
  for (const [peer, total] of totals) {
    results.set(peer, {
      requestsPerSecond: total.ok / (total.elapsedMs / 1000),
      requestsPerCpuSecond: total.cpu > 0 ? total.ok / total.cpu : Number.NaN,
      ok: total.ok,
      errors: total.errors,
      serverCpuSeconds: total.cpu,
    });
  }
  return results;
}

/** `trigger`: {@link runTriggerPaired} on our server and the bare Elysia POST route, started together. */
export class TriggerScenario implements Scenario {
  readonly name = "trigger";
  readonly section = "servers";
  readonly repeat = "every round";
  readonly #runs = new Map<PeerName, TriggerResult[]>();

  async run(context: ScenarioContext): Promise<void> {
    const { config, log } = context;
    log(`round ${context.round + 1}: trigger throughput at concurrency ${config.triggerConcurrency}`);
    // Both peers run at once (each idle while the other is loaded), measured in alternating windows.
    const pair: [PeerName, PeerName] = context.round % 2 === 0 ? ["ours", "elysia-post"] : ["elysia-post", "ours"];
    await context.withPeer(pair[0], 1000, (a) =>
      context.withPeer(pair[1], 1000, async (b) => {
        const measured = await runTriggerPaired([a, b], { concurrency: config.triggerConcurrency, durationMs: config.triggerMs });
        for (const [peer, trigger] of measured) {
          log(`  ${peer.name}: ${Math.round(trigger.requestsPerSecond)} req/s, ${Math.round(trigger.requestsPerCpuSecond)} req/CPU-s, ${trigger.errors} errors`);
          pushTo(this.#runs, peer.name, trigger);
        }
      }),
    );
  }

  report({ config }: ReportContext): ScenarioReport | undefined {
    if (this.#runs.size === 0) return undefined;
    const lines = [
      `### Trigger throughput, no subscribers, concurrency ${config.triggerConcurrency}`,
      "",
      `Closed loop over raw TCP keep-alive connections for ${config.triggerMs / 1000} s per peer per round, after a warm-up of the same length (at most 2 s, so every peer is measured in its JIT steady state).`,
      "Both peers run at once and are loaded in turn, in six alternating windows (A B B A A B), so a drift in the machine's speed falls on both alike; medians over rounds.",
      "",
      "| peer | requests/s | requests/CPU-s | errors |",
      "| --- | ---: | ---: | ---: |",
    ];
    for (const [name, runs] of this.#runs) {
      lines.push(
        `| ${PEER_LABELS[name]} | ${fmt(median(runs.map((r) => r.requestsPerSecond)))} | ${fmt(median(runs.map((r) => r.requestsPerCpuSecond)))} | ${fmt(runs.reduce((s, r) => s + r.errors, 0))} |`,
      );
    }
    const oursRuns = this.#runs.get("ours") ?? [];
    const bareRuns = this.#runs.get("elysia-post") ?? [];
    const ours = median(oursRuns.map((r) => r.requestsPerSecond));
    const bare = median(bareRuns.map((r) => r.requestsPerSecond));
    const oursCpu = median(oursRuns.map((r) => r.requestsPerCpuSecond));
    const bareCpu = median(bareRuns.map((r) => r.requestsPerCpuSecond));
    // Both peers are measured in the same windows of each round: the per-round ratios show the spread.
    const perRound = oursRuns.map((run, i) => run.requestsPerSecond / (bareRuns[i]?.requestsPerSecond ?? Number.NaN));
    lines.push(
      "",
      `Ours ÷ bare Elysia: ${ratio(ours / bare)} in requests/s, ${ratio(oursCpu / bareCpu)} in requests/CPU-s (each round: ${perRound.map(ratio).join(", ")}).`,
    );
    const target = `Trigger ≥ 0.8× the bare Elysia POST route's requests/s: ${verdict(Number.isFinite(ours / bare) ? ours / bare >= 0.8 : undefined)} (${ratio(ours / bare)})`;
    return { lines, targets: [target] };
  }
}
