/**
 * Cost follows the topic (issue 15, guarantee 3), on our server only: there is no peer with
 * topics and history to compare with, so each figure is compared with ours without the crowd.
 *
 * - Publish: closed-loop `POST /events/publish` to a topic with one subscriber, first alone,
 *   then with `topicsCrowd` clients each following a topic of its own, then alone again (A B A,
 *   so a drift of the machine's speed falls on both sides); the crowded rate over the mean of
 *   the two alone rates must be >= 0.8. The one subscriber must get every publish, the crowd none.
 * - Resume (in process, on the MemoryBroker the server embeds): a subscriber of a quiet topic
 *   resumes a few events back while history holds `topicsResumeHistory` events of other topics;
 *   the time of `subscribe` (plan, replay, registration) against the same with no other topic.
 */
import { MemoryBroker } from "@events/sse-core";
import { fmt, median, percentile, ratio, verdict } from "../lib/stats.ts";
import { runHttpLoad } from "../loadgen/http-load.ts";
import { readProcStats } from "../loadgen/proc-stats.ts";
import { markerMessage } from "../loadgen/publisher.ts";
import { SseClientPool } from "../loadgen/sse-client-pool.ts";
import type { RunningPeer } from "../peers/start-peer.ts";
import type { ReportContext, Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";
import { type RedisResumeCost, runRedisResumeCost } from "./topics-redis-resume.ts";

const HOT_TOPIC = "bench/hot";
const CONCURRENCY = 20;

/** One publish window. */
interface PublishWindow {
  readonly ok: number;
  /** Publishes the server took in this window, the requests in flight at its end included. */
  readonly published: number;
  readonly errors: number;
  readonly requestsPerSecond: number;
  readonly requestsPerCpuSecond: number;
}

/** One round of the publish half. */
export interface PublishRound {
  readonly alone: PublishWindow;
  readonly crowded: PublishWindow;
  readonly crowd: number;
  /** Clients following the hot topic. */
  readonly hotClients: number;
  /** Markers the hot topic's subscribers got, all together, against publishes answered 200 while they listened (once per subscriber). */
  readonly hotReceived: number;
  readonly published: number;
  /** Markers the crowd got (must be 0: none of them follows the hot topic). */
  readonly crowdReceived: number;
}

/** The resume half. */
interface ResumeTiming {
  readonly otherEvents: number;
  readonly otherTopics: number;
  readonly back: number;
  readonly crowdedMedianUs: number;
  readonly crowdedP99Us: number;
  readonly aloneMedianUs: number;
  readonly aloneP99Us: number;
  readonly replayedOk: boolean;
}

async function publishWindow(peer: RunningPeer, durationMs: number): Promise<PublishWindow> {
  const before = readProcStats(peer.pid).cpuSeconds;
  const result = await runHttpLoad({
    host: "127.0.0.1",
    port: peer.port,
    method: "POST",
    path: "/events/publish",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ topic: HOT_TOPIC, event: "bench", data: { message: markerMessage(0, 64) } }),
    concurrency: CONCURRENCY,
    durationMs,
  });
  const cpu = readProcStats(peer.pid).cpuSeconds - before;
  return {
    ok: result.ok,
    published: result.okIncludingInFlight,
    errors: result.errors,
    requestsPerSecond: result.requestsPerSecond,
    requestsPerCpuSecond: cpu > 0 ? result.ok / cpu : Number.NaN,
  };
}

function combine(a: PublishWindow, b: PublishWindow): PublishWindow {
  return {
    ok: a.ok + b.ok,
    published: a.published + b.published,
    errors: a.errors + b.errors,
    requestsPerSecond: (a.requestsPerSecond + b.requestsPerSecond) / 2,
    requestsPerCpuSecond: (a.requestsPerCpuSecond + b.requestsPerCpuSecond) / 2,
  };
}

async function untilDelivered(pool: SseClientPool, expected: number): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (pool.counters().received < expected && performance.now() < deadline) await Bun.sleep(20);
}

/**
 * Publishes to a topic of `hotClients` subscribers (one by default) alone, among `crowd` clients
 * of other topics, and alone again.
 */
export async function runTopicPublish(peer: RunningPeer, crowd: number, durationMs: number, hotClients = 1): Promise<PublishRound> {
  const hot = await SseClientPool.open({ host: "127.0.0.1", port: peer.port, path: `${peer.streamPath}?topic=${HOT_TOPIC}`, count: hotClients });
  try {
    // Warm-up: the JIT compiles the publish path in the first second or two. Its events are
    // let through to the subscriber before counting starts.
    const warmUp = await publishWindow(peer, Math.min(2000, durationMs));
    await untilDelivered(hot, warmUp.published * hotClients);
    hot.resetCounters();
    const first = await publishWindow(peer, durationMs / 2);
    const others = await SseClientPool.open({
      host: "127.0.0.1",
      port: peer.port,
      path: (index) => `${peer.streamPath}?topic=bench/other/${index}`,
      count: crowd,
      connectConcurrency: 500,
    });
    let crowded: PublishWindow;
    let crowdReceived: number;
    try {
      if (others.counters().open < crowd) throw new Error(`only ${others.counters().open} of ${crowd} crowd clients connected`);
      crowded = await publishWindow(peer, durationMs);
      crowdReceived = others.counters().received;
    } finally {
      others.close();
    }
    // Let the server take the crowd's disconnects before the second alone window.
    await Bun.sleep(500);
    const second = await publishWindow(peer, durationMs / 2);
    const published = first.published + crowded.published + second.published;
    await untilDelivered(hot, published * hotClients);
    return { alone: combine(first, second), crowded, crowd, hotClients, hotReceived: hot.counters().received, published, crowdReceived };
  } finally {
    hot.close();
  }
}

function timeSubscribes(broker: MemoryBroker, lastEventId: string, back: number, runs: number): { medianUs: number; p99Us: number; ok: boolean } {
  const samples: number[] = [];
  let ok = true;
  for (let run = 0; run < runs; run++) {
    let replayed = 0;
    const start = performance.now();
    void broker
      .subscribe({ onEvent: () => void (replayed += 1) }, { topics: ["quiet"], lastEventId })
      .then((subscription) => subscription.unsubscribe());
    samples.push((performance.now() - start) * 1000);
    if (replayed !== back) ok = false;
  }
  samples.sort((a, b) => a - b);
  return { medianUs: median(samples), p99Us: percentile(samples, 0.99), ok };
}

/** Times a resume of a quiet topic with `otherEvents` events of `otherTopics` other topics in history, and without. */
export function runTopicResume(otherEvents: number, otherTopics: number, back: number): ResumeTiming {
  const build = (others: number): { broker: MemoryBroker; lastEventId: string } => {
    const perTopic = Math.ceil(others / otherTopics);
    const broker = new MemoryBroker({ historySize: Math.max(perTopic, back + 1), historyBytes: 1024 * 1024 * 1024 });
    const quietIds: string[] = [];
    const quietEvery = Math.max(1, Math.floor(others / (back + 1)));
    const data = JSON.stringify({ message: "x".repeat(48) });
    for (let index = 0; index < others; index++) {
      broker.publishSync({ topics: [`other/${index % otherTopics}`], data });
      if (index % quietEvery === 0 && quietIds.length <= back) quietIds.push(broker.publishSync({ topics: ["quiet"], data }).id);
    }
    while (quietIds.length <= back) quietIds.push(broker.publishSync({ topics: ["quiet"], data }).id);
    return { broker, lastEventId: quietIds[quietIds.length - back - 1] as string };
  };
  const crowded = build(otherEvents);
  const alone = build(0);
  const runs = 2000;
  // Warm both paths first (JIT), then measure.
  timeSubscribes(crowded.broker, crowded.lastEventId, back, runs);
  timeSubscribes(alone.broker, alone.lastEventId, back, runs);
  const crowdedTiming = timeSubscribes(crowded.broker, crowded.lastEventId, back, runs);
  const aloneTiming = timeSubscribes(alone.broker, alone.lastEventId, back, runs);
  return {
    otherEvents,
    otherTopics,
    back,
    crowdedMedianUs: crowdedTiming.medianUs,
    crowdedP99Us: crowdedTiming.p99Us,
    aloneMedianUs: aloneTiming.medianUs,
    aloneP99Us: aloneTiming.p99Us,
    replayedOk: crowdedTiming.ok && aloneTiming.ok,
  };
}

/** `topics`: {@link runTopicPublish} every round, {@link runTopicResume} in the first round. */
export class TopicsScenario implements Scenario {
  readonly name = "topics";
  readonly section = "topics";
  readonly repeat = "every round";
  readonly #rounds: PublishRound[] = [];
  #resume: ResumeTiming | undefined;
  /** Undefined until measured; `null` when Redis could not be reached. */
  #redis: RedisResumeCost[] | null | undefined;

  async run(context: ScenarioContext): Promise<void> {
    const { config, log } = context;
    log(`round ${context.round + 1}: topics, publish to a 1-subscriber topic alone and among ${config.topicsCrowd} other-topic clients`);
    await context.withPeer("ours", config.topicsCrowd + 100, async (peer) => {
      const round = await runTopicPublish(peer, config.topicsCrowd, config.topicsPublishMs);
      log(
        `  alone ${Math.round(round.alone.requestsPerSecond)} req/s, crowded ${Math.round(round.crowded.requestsPerSecond)} req/s, hot got ${round.hotReceived}/${round.published}, crowd got ${round.crowdReceived}`,
      );
      this.#rounds.push(round);
    });
    if (this.#resume === undefined) {
      this.#resume = runTopicResume(config.topicsResumeHistory, 100, 10);
      log(`  resume of a quiet topic: ${this.#resume.crowdedMedianUs.toFixed(1)} µs median with ${config.topicsResumeHistory} other events, ${this.#resume.aloneMedianUs.toFixed(1)} µs alone`);
      this.#redis = (await runRedisResumeCost([1000, config.topicsResumeHistory], 10)) ?? null;
      for (const cost of this.#redis ?? []) log(`  redis resume with ${cost.otherEvents} other events: ${cost.commandsPerResume} commands, ${cost.medianMs.toFixed(2)} ms`);
    }
  }

  report(): ScenarioReport | undefined {
    if (this.#rounds.length === 0 && this.#resume === undefined) return undefined;
    const lines: string[] = [];
    const targets: string[] = [];
    if (this.#rounds.length > 0) {
      const crowd = this.#rounds[0]?.crowd ?? 0;
      lines.push(
        `### Topics: publish to a 1-subscriber topic among ${fmt(crowd)} clients of other topics`,
        "",
        `Ours only (no peer has topics with history). Closed-loop \`POST /events/publish\` at concurrency ${CONCURRENCY}, alone, then with`,
        `${fmt(crowd)} SSE clients each following a topic of its own, then alone again (A B A); alone = the mean of the two alone windows.`,
        "",
        "| round | alone req/s | crowded req/s | crowded ÷ alone | alone req/CPU-s | crowded req/CPU-s | hot subscriber got | crowd got | errors |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      );
      this.#rounds.forEach((r, i) => {
        lines.push(
          `| ${i + 1} | ${fmt(r.alone.requestsPerSecond)} | ${fmt(r.crowded.requestsPerSecond)} | ${ratio(r.crowded.requestsPerSecond / r.alone.requestsPerSecond)} | ${fmt(r.alone.requestsPerCpuSecond)} | ${fmt(r.crowded.requestsPerCpuSecond)} | ${fmt(r.hotReceived)}/${fmt(r.published)} | ${fmt(r.crowdReceived)} | ${fmt(r.alone.errors + r.crowded.errors)} |`,
        );
      });
      const ratioMedian = median(this.#rounds.map((r) => r.crowded.requestsPerSecond / r.alone.requestsPerSecond));
      const exact = this.#rounds.every((r) => r.hotReceived === r.published && r.crowdReceived === 0);
      targets.push(
        `Topics: publish to a 1-subscriber topic among ${fmt(crowd)} other-topic clients ≥ 0.8× alone: ${verdict(Number.isFinite(ratioMedian) ? ratioMedian >= 0.8 : undefined)} (${ratio(ratioMedian)}; every publish delivered once, none to the crowd: ${exact ? "yes" : "**no**"})`,
      );
    }
    const resume = this.#resume;
    if (resume !== undefined) {
      lines.push(
        "",
        `### Topics: resume of a quiet topic, ${resume.back} events back, with ${fmt(resume.otherEvents)} events of ${resume.otherTopics} other topics in history`,
        "",
        "In process on the MemoryBroker the server embeds: the time of `subscribe` (plan, replay, registration), 2,000 resumes after a",
        "warm-up of as many, against the same broker holding only the quiet topic.",
        "",
        "| history | median µs | p99 µs |",
        "| --- | ---: | ---: |",
        `| quiet topic + ${fmt(resume.otherEvents)} other events | ${fmt(resume.crowdedMedianUs, 1)} | ${fmt(resume.crowdedP99Us, 1)} |`,
        `| quiet topic alone | ${fmt(resume.aloneMedianUs, 1)} | ${fmt(resume.aloneP99Us, 1)} |`,
      );
      targets.push(
        `Topics: resume of a quiet topic with ${fmt(resume.otherEvents)} other events in history well under 1 ms (median < 100 µs): ${verdict(resume.crowdedMedianUs < 100 && resume.replayedOk)} (${fmt(resume.crowdedMedianUs, 1)} µs, ${ratio(resume.crowdedMedianUs / resume.aloneMedianUs)} the time alone)`,
      );
    }
    const redis = this.#redis;
    if (redis === null) {
      lines.push("", "### Topics: resume of a quiet topic on Redis", "", "Not measured: no Redis at `REDIS_URL` (default redis://127.0.0.1:6379).");
      targets.push("Topics: Redis commands per resume of a quiet topic flat as other topics grow: not measured (no Redis)");
    } else if (redis !== undefined) {
      lines.push(
        "",
        "### Topics: resume of a quiet topic on Redis, 10 events back, as other topics grow",
        "",
        "A RedisBroker on the local Redis; Redis commands per resume from `INFO commandstats` (commands run inside the resume script",
        "included; the node's own reader and the measuring connection excluded), median of 50 resumes; time is the `subscribe` call's.",
        "",
        "| events of other topics | commands per resume | which | median ms |",
        "| ---: | ---: | --- | ---: |",
      );
      for (const cost of redis) {
        // "xinfo|stream" is how Redis names a subcommand; a bare "|" would split the table cell.
        const which = Object.entries(cost.commands).map(([name, calls]) => `${name.replace("|", " ")} ${calls}`).join(", ");
        lines.push(`| ${fmt(cost.otherEvents)} | ${cost.commandsPerResume} | ${which} | ${fmt(cost.medianMs, 2)} |`);
      }
      const flat = redis.every((cost) => cost.commandsPerResume === redis[0]?.commandsPerResume) && redis.every((cost) => cost.replayedOk);
      targets.push(
        `Topics: Redis commands per resume of a quiet topic flat as other topics grow (${redis.map((cost) => fmt(cost.otherEvents)).join(" → ")} events): ${verdict(flat)} (${redis.map((cost) => cost.commandsPerResume).join(" → ")} commands)`,
      );
    }
    return { lines, targets };
  }
}
