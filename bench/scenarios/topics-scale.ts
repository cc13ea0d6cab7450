/**
 * Topics at scale (issue 19, target 5), on our server only: publishing to a hot topic with
 * `HOT_CLIENTS` subscribers costs the same per delivery with `topicsCrowd` other clients
 * connected, each on a topic of its own, as with the hot clients alone. The measurement is the
 * topics scenario's A B A publish ({@link runTopicPublish}) with a hot topic of many clients;
 * the figure is server CPU per delivered event (CPU-seconds over publishes × hot clients).
 */
import { fmt, median, ratio, verdict } from "../lib/stats.ts";
import type { ReportContext, Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";
import { type PublishRound, runTopicPublish } from "./topics.ts";

/** Clients following the hot topic. */
const HOT_CLIENTS = 100;
/** The most the crowded cost per delivery may exceed the cost alone by. */
const TARGET_RATIO = 1.1;

/** Server CPU microseconds per delivered event of a window measured at `requestsPerCpuSecond`. */
function microsPerDelivery(requestsPerCpuSecond: number): number {
  return 1e6 / (requestsPerCpuSecond * HOT_CLIENTS);
}

/** `topics-scale`: a hot topic's cost per delivery among a crowd of one-topic clients against alone, every round. */
export class TopicsScaleScenario implements Scenario {
  readonly name = "topics-scale";
  readonly section = "bursts";
  readonly repeat = "every round";
  readonly #rounds: PublishRound[] = [];

  async run(context: ScenarioContext): Promise<void> {
    const { config, log } = context;
    log(`round ${context.round + 1}: topics-scale, publish to a ${HOT_CLIENTS}-client topic alone and among ${config.topicsCrowd} one-topic clients`);
    await context.withPeer("ours", config.topicsCrowd + HOT_CLIENTS + 100, async (peer) => {
      const round = await runTopicPublish(peer, config.topicsCrowd, config.topicsPublishMs, HOT_CLIENTS);
      log(
        `  alone ${fmt(microsPerDelivery(round.alone.requestsPerCpuSecond), 2)} µs CPU per delivery, crowded ${fmt(microsPerDelivery(round.crowded.requestsPerCpuSecond), 2)}; ` +
          `hot got ${round.hotReceived}/${round.published * HOT_CLIENTS}, crowd got ${round.crowdReceived}`,
      );
      this.#rounds.push(round);
    });
  }

  report(_context: ReportContext): ScenarioReport | undefined {
    if (this.#rounds.length === 0) return undefined;
    const crowd = this.#rounds[0]?.crowd ?? 0;
    const lines = [
      `### Topics at scale: a ${HOT_CLIENTS}-client topic among ${fmt(crowd)} clients of ${fmt(crowd)} other topics`,
      "",
      `Ours only. Closed-loop \`POST /events/publish\` to the hot topic (followed by ${HOT_CLIENTS} SSE clients), alone, then with ${fmt(crowd)}`,
      "more SSE clients each following a topic of its own, then alone again (A B A; alone = the mean of the two alone windows).",
      "Cost per delivery = server CPU-seconds (its process CPU clock) ÷ (publishes × hot clients).",
      "",
      "| round | alone req/s | crowded req/s | alone µs CPU per delivery | crowded µs CPU per delivery | crowded ÷ alone | hot clients got | crowd got | errors |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ];
    const costRatios: number[] = [];
    for (const [index, round] of this.#rounds.entries()) {
      const alone = microsPerDelivery(round.alone.requestsPerCpuSecond);
      const crowded = microsPerDelivery(round.crowded.requestsPerCpuSecond);
      costRatios.push(crowded / alone);
      lines.push(
        `| ${index + 1} | ${fmt(round.alone.requestsPerSecond)} | ${fmt(round.crowded.requestsPerSecond)} | ${fmt(alone, 3)} | ${fmt(crowded, 3)} | ${ratio(crowded / alone)} | ` +
          `${fmt(round.hotReceived)}/${fmt(round.published * HOT_CLIENTS)} | ${fmt(round.crowdReceived)} | ${fmt(round.alone.errors + round.crowded.errors)} |`,
      );
    }
    const costRatio = median(costRatios);
    const exact = this.#rounds.every((round) => round.hotReceived === round.published * HOT_CLIENTS && round.crowdReceived === 0);
    const targets = [
      `Topics at scale: cost per delivery to a ${HOT_CLIENTS}-client topic among ${fmt(crowd)} one-topic clients ≤ ${TARGET_RATIO}× the cost with the ${HOT_CLIENTS} alone: ` +
        `${verdict(Number.isFinite(costRatio) ? costRatio <= TARGET_RATIO : undefined)} (median ${ratio(costRatio)}; every publish delivered to every hot client once, none to the crowd: ${exact ? "yes" : "**no**"})`,
    ];
    return { lines, targets };
  }
}
