/**
 * Big fan-out: {@link runFanout} at one rate with many more clients (5,000 in a full run), on
 * every streaming peer.
 */
import { fmt, median, pushTo, ratio } from "../lib/stats.ts";
import { PEER_LABELS, type PeerName } from "../peers/start-peer.ts";
import { type FanoutStep, runFanout } from "./fanout.ts";
import type { ReportContext, Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";

/** `big`: `bigClients` clients at `bigRate` events/s. */
export class BigFanoutScenario implements Scenario {
  readonly name = "big";
  readonly section = "servers";
  readonly repeat = "every round";
  /** Per peer, one step per round. */
  readonly #steps = new Map<PeerName, FanoutStep[]>();

  async run(context: ScenarioContext): Promise<void> {
    const { config, log } = context;
    log(`round ${context.round + 1}: ${config.bigClients} clients at ${config.bigRate} events/s`);
    for (const name of context.peers) {
      await context.withPeer(name, config.bigClients + 100, async (peer) => {
        const steps = await runFanout(peer, { clients: config.bigClients, rates: [config.bigRate], stepSeconds: config.bigStepSeconds, warmUpSeconds: 1, log });
        if (steps[0] !== undefined) pushTo(this.#steps, name, steps[0]);
      });
    }
  }

  report({ config }: ReportContext): ScenarioReport | undefined {
    if (this.#steps.size === 0) return undefined;
    const lines = [
      `### Fan-out: ${fmt(config.bigClients)} clients at ${fmt(config.bigRate)} events/s`,
      "",
      `${config.bigStepSeconds} s of publishing per round; medians over rounds, loss summed.`,
      "",
      "| peer | events/CPU-s | ours ÷ peer | wall ev/s | p50 ms | p99 ms | max ms | lost | dropped | server RSS MB |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ];
    const ours = median((this.#steps.get("ours") ?? []).map((s) => s.eventsPerCpuSecond));
    for (const [name, steps] of this.#steps) {
      const perCpu = median(steps.map((s) => s.eventsPerCpuSecond));
      lines.push(
        `| ${PEER_LABELS[name]} | ${fmt(perCpu)} | ${name === "ours" ? "" : ratio(ours / perCpu)} | ${fmt(median(steps.map((s) => s.deliveredPerSecond)))} | ` +
          `${fmt(median(steps.map((s) => s.p50Ms)), 1)} | ${fmt(median(steps.map((s) => s.p99Ms)), 1)} | ${fmt(median(steps.map((s) => s.maxMs)), 1)} | ` +
          `${fmt(steps.reduce((sum, s) => sum + s.lost, 0))} | ${fmt(steps.reduce((sum, s) => sum + s.dropped, 0))} | ${fmt(median(steps.map((s) => s.rssKb)) / 1024, 1)} |`,
      );
    }
    return { lines, targets: [] };
  }
}
