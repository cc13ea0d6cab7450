/**
 * Saturated fan-out (issue 19): {@link runFanout} at `bigRate` events/s to `bigClients` clients
 * (5,000 at 100/s in a full run: more deliveries than this machine writes one socket write at a
 * time), every streaming peer. The figure is deliveries per second of wall clock, with loss and
 * whether every client got the events in the same order; it has its own section, so it can be
 * rerun and written alone.
 */
import { fmt, median, pushTo, ratio, verdict } from "../lib/stats.ts";
import { BASELINE_PEER, PEER_LABELS, type PeerName } from "../peers/start-peer.ts";
import { type FanoutStep, runFanout } from "./fanout.ts";
import type { ReportContext, Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";

/** Delivered events/s of ours ÷ the minimal broadcaster's that issue 19 asks for. */
const TARGET_RATIO = 1.2;

/** `saturated`: `bigClients` clients at `bigRate` events/s, judged on delivered events/s. */
export class SaturatedScenario implements Scenario {
  readonly name = "saturated";
  readonly section = "saturated";
  readonly repeat = "every round";
  /** Per peer, one step per round. */
  readonly #steps = new Map<PeerName, FanoutStep[]>();

  async run(context: ScenarioContext): Promise<void> {
    const { config, log } = context;
    log(`round ${context.round + 1}: saturated fan-out, ${config.bigClients} clients at ${config.bigRate} events/s`);
    for (const name of context.peers) {
      await context.withPeer(name, config.bigClients + 100, async (peer) => {
        const steps = await runFanout(peer, { clients: config.bigClients, rates: [config.bigRate], stepSeconds: config.bigStepSeconds, warmUpSeconds: 1, log });
        if (steps[0] !== undefined) pushTo(this.#steps, name, steps[0]);
      });
    }
  }

  report({ config }: ReportContext): ScenarioReport | undefined {
    if (this.#steps.size === 0) return undefined;
    const planned = config.bigClients * config.bigRate;
    const lines = [
      `### Saturated fan-out: ${fmt(config.bigClients)} clients at ${fmt(config.bigRate)} events/s`,
      "",
      `The publisher asks for ${fmt(config.bigRate)} events/s for ${config.bigStepSeconds} s (${fmt(planned)} deliveries/s if every one`,
      "went out at once; it keeps at most 32 requests in flight, so a peer that cannot keep up publishes fewer per second and",
      "the step lasts longer). Delivered ev/s = deliveries (events × clients received) per second of wall clock, from the",
      "first publish to the last receipt: the main figure here. Orders = how many different orders the clients of one round",
      "received the events in (1: every client the same events in the same order). Medians over rounds; loss summed.",
      "",
      "| peer | delivered ev/s | ours ÷ peer | events/CPU-s | published/s | p50 ms | p99 ms | lost | orders (max) | rounds |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ];
    const delivered = (steps: readonly FanoutStep[]): number => median(steps.map((s) => s.deliveredPerSecond));
    const ourSteps = this.#steps.get("ours") ?? [];
    const ours = delivered(ourSteps);
    for (const [name, steps] of this.#steps) {
      const perSecond = delivered(steps);
      lines.push(
        `| ${PEER_LABELS[name]} | ${fmt(perSecond)} | ${name === "ours" ? "" : ratio(ours / perSecond)} | ${fmt(median(steps.map((s) => s.eventsPerCpuSecond)))} | ` +
          `${fmt(median(steps.map((s) => s.achievedRate)))} | ${fmt(median(steps.map((s) => s.p50Ms)), 1)} | ${fmt(median(steps.map((s) => s.p99Ms)), 1)} | ` +
          `${fmt(steps.reduce((sum, s) => sum + s.lost, 0))} | ${fmt(Math.max(...steps.map((s) => s.distinctOrders)))} | ${steps.length} |`,
      );
    }
    const minimal = this.#steps.get(BASELINE_PEER);
    const vsMinimal = minimal === undefined || ourSteps.length === 0 ? undefined : ours / delivered(minimal);
    const lost = ourSteps.reduce((sum, s) => sum + s.lost, 0);
    const orders = ourSteps.length === 0 ? 0 : Math.max(...ourSteps.map((s) => s.distinctOrders));
    const targets = [
      `(issue 19) Saturated fan-out, delivered events/s ≥ ${TARGET_RATIO}× the minimal Bun broadcaster: ${verdict(vsMinimal === undefined ? undefined : vsMinimal >= TARGET_RATIO)} ` +
        `(${vsMinimal === undefined ? "–" : ratio(vsMinimal)}; ours ${fmt(ours)}/s of ${fmt(planned)}/s asked for)`,
      `(issue 19) Saturated fan-out, zero loss and every client's events in the same order: ${verdict(ourSteps.length === 0 ? undefined : lost === 0 && orders === 1)} ` +
        `(ours lost ${fmt(lost)}; ${fmt(orders)} order(s) per round at most)`,
    ];
    return { lines, targets };
  }
}
