/**
 * The brokers side by side (issue 20): the memory broker the server embeds, the Redis broker
 * and the Postgres broker, each in this process on the local database, measured the same way:
 *
 * - Publish, sequential: `brokersPublishes` publishes, each awaited before the next (one
 *   round trip each for the database brokers).
 * - Publish, concurrent: as many with `brokersConcurrency` in flight.
 * - Fan-out: `brokersSubscribers` subscribers of one topic on this node, `brokersFanoutEvents`
 *   events published concurrently; time from the first publish until every subscriber has
 *   every event, as deliveries per second. Every subscriber must get every event, once.
 *
 * A broker whose database does not answer is reported as not measured, not as an error.
 */
import { MemoryBroker, type Broker } from "@events/sse-core";
import { fmt, percentile, ratio, verdict } from "../lib/stats.ts";
import type { ReportContext, Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";
import { openBrokerUnderTest, type BrokerKind, type BrokerUnderTest } from "./brokers-setup.ts";

const TOPIC = "bench/brokers";
const DATA = JSON.stringify({ message: "x".repeat(64) });
const KINDS: readonly BrokerKind[] = ["memory", "redis", "postgres"];

/** What one broker measured. */
interface BrokerFigures {
  readonly version: string;
  readonly sequentialPerSecond: number;
  readonly concurrentPerSecond: number;
  readonly fanoutDeliveriesPerSecond: number;
  /** From the `publish` call to the one subscriber's `onEvent`, sequential publishes, in ms. */
  readonly latencyMedianMs: number;
  readonly latencyP99Ms: number;
  readonly fanoutMs: number;
  /** Every subscriber got every event exactly once. */
  readonly fanoutExact: boolean;
}

async function publishSequential(broker: Broker, count: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await broker.publish({ topics: [TOPIC], event: "bench", data: DATA });
  return count / ((performance.now() - start) / 1000);
}

async function publishConcurrent(broker: Broker, count: number, concurrency: number): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      await broker.publish({ topics: [TOPIC], event: "bench", data: DATA });
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return count / ((performance.now() - start) / 1000);
}

/** Publish-to-delivery times of `count` sequential publishes to a topic with one subscriber, sorted, in ms. */
async function deliveryLatencies(broker: Broker, count: number): Promise<number[]> {
  const topic = `${TOPIC}/latency`;
  const samples: number[] = [];
  let started = 0;
  let arrived: () => void = () => {};
  const subscription = await broker.subscribe({
    onEvent: () => {
      samples.push(performance.now() - started);
      arrived();
    },
  }, { topics: [topic] });
  try {
    for (let i = 0; i < count; i++) {
      const delivered = new Promise<void>((resolve) => (arrived = resolve));
      started = performance.now();
      await broker.publish({ topics: [topic], event: "bench", data: DATA });
      await delivered;
    }
  } finally {
    subscription.unsubscribe();
  }
  return samples.sort((a, b) => a - b);
}

async function fanout(broker: Broker, subscribers: number, events: number, concurrency: number): Promise<{ ms: number; exact: boolean }> {
  const topic = `${TOPIC}/fanout`;
  const received = new Array<number>(subscribers).fill(0);
  let delivered = 0;
  const expected = subscribers * events;
  let resolveAll: () => void = () => {};
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const subscriptions = await Promise.all(
    received.map((_, index) =>
      broker.subscribe({
        onEvent: () => {
          received[index] = (received[index] as number) + 1;
          delivered += 1;
          if (delivered === expected) resolveAll();
        },
      }, { topics: [topic] })
    ),
  );
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < events) {
        next += 1;
        await broker.publish({ topics: [topic], event: "bench", data: DATA });
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: Math.min(concurrency, events) }, worker));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, 30_000)));
    await Promise.race([all, late]);
    clearTimeout(timer);
    const ms = performance.now() - start;
    // Let a duplicate that would arrive after the last expected delivery show up before counting.
    await Bun.sleep(100);
    return { ms, exact: received.every((count) => count === events) };
  } finally {
    for (const subscription of subscriptions) subscription.unsubscribe();
  }
}

async function measure(under: BrokerUnderTest, context: ScenarioContext): Promise<BrokerFigures> {
  const { config } = context;
  // Warm-up: connections opened, statements prepared, the JIT past the publish path.
  await publishConcurrent(under.broker, Math.min(200, config.brokersPublishes), config.brokersConcurrency);
  const sequentialPerSecond = await publishSequential(under.broker, config.brokersPublishes);
  const concurrentPerSecond = await publishConcurrent(under.broker, config.brokersPublishes, config.brokersConcurrency);
  const spread = await fanout(under.broker, config.brokersSubscribers, config.brokersFanoutEvents, config.brokersConcurrency);
  const latencies = await deliveryLatencies(under.broker, Math.min(500, config.brokersPublishes));
  return {
    latencyMedianMs: percentile(latencies, 0.5),
    latencyP99Ms: percentile(latencies, 0.99),
    version: under.version,
    sequentialPerSecond,
    concurrentPerSecond,
    fanoutMs: spread.ms,
    fanoutDeliveriesPerSecond: (config.brokersSubscribers * config.brokersFanoutEvents) / (spread.ms / 1000),
    fanoutExact: spread.exact,
  };
}

/** `brokers`: once, after the rounds; each broker in turn, in process. */
export class BrokersScenario implements Scenario {
  readonly name = "brokers";
  readonly section = "brokers";
  readonly repeat = "once";
  readonly #figures = new Map<BrokerKind, BrokerFigures>();
  readonly #missing = new Map<BrokerKind, string>();

  async run(context: ScenarioContext): Promise<void> {
    const { config, log } = context;
    log(
      `brokers: ${config.brokersPublishes} publishes sequential and ${config.brokersConcurrency} in flight, fan-out of ${config.brokersFanoutEvents} events to ${config.brokersSubscribers} subscribers`,
    );
    for (const kind of KINDS) {
      const under = kind === "memory"
        ? { broker: new MemoryBroker({ historySize: 1000 }), version: "in process", close: (): Promise<void> => Promise.resolve() }
        : await openBrokerUnderTest(kind);
      if (typeof under === "string") {
        this.#missing.set(kind, under);
        log(`  ${kind}: not measured (${under})`);
        continue;
      }
      try {
        const figures = await measure(under, context);
        this.#figures.set(kind, figures);
        log(
          `  ${kind}: ${fmt(figures.sequentialPerSecond)}/s sequential, ${fmt(figures.concurrentPerSecond)}/s concurrent, fan-out ${fmt(figures.fanoutDeliveriesPerSecond)} deliveries/s (${figures.fanoutExact ? "exact" : "NOT exact"}), delivery ${fmt(figures.latencyMedianMs, 2)} ms median`,
        );
      } finally {
        await under.broker.close();
        await under.close();
      }
    }
  }

  report(context: ReportContext): ScenarioReport | undefined {
    if (this.#figures.size === 0) return undefined;
    const { config } = context;
    const memory = this.#figures.get("memory");
    const redis = this.#figures.get("redis");
    const versus = (value: number, base: BrokerFigures | undefined, pick: (figures: BrokerFigures) => number): string =>
      base === undefined ? "–" : smallRatio(value / pick(base));
    const lines: string[] = [
      `### Brokers: publish and fan-out, in process`,
      "",
      "Each broker in this process against the local database (Redis and PostgreSQL on loopback, defaults otherwise;",
      "Redis: `REDIS_URL`, default redis://127.0.0.1:6379; Postgres: `POSTGRES_URL`, default postgres://postgres@127.0.0.1:5432/test,",
      "a table of its own, dropped after). A warm-up of 200 concurrent publishes first. Sequential: each publish awaited before the",
      `next (${fmt(config.brokersPublishes)}); concurrent: ${config.brokersConcurrency} in flight; fan-out: ${fmt(config.brokersFanoutEvents)} events published ${config.brokersConcurrency} at a time`,
      `to one topic followed by ${fmt(config.brokersSubscribers)} subscribers on this node, from the first publish until every subscriber has every event.`,
      `Delivery: ${fmt(Math.min(500, config.brokersPublishes))} sequential publishes to a topic with one subscriber, from the \`publish\` call to its \`onEvent\`.`,
      "",
      "| broker | server | sequential publishes/s | ÷ memory | concurrent publishes/s | ÷ memory | ÷ Redis | fan-out deliveries/s | ÷ memory | ÷ Redis | every event once | delivery median ms | p99 ms |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ];
    for (const kind of KINDS) {
      const figures = this.#figures.get(kind);
      if (figures === undefined) {
        lines.push(`| ${kind} | not measured: ${this.#missing.get(kind) ?? "?"} | | | | | | | | | | | |`);
        continue;
      }
      lines.push(
        `| ${kind} | ${figures.version} | ${fmt(figures.sequentialPerSecond)} | ${versus(figures.sequentialPerSecond, memory, (f) => f.sequentialPerSecond)} | ${fmt(figures.concurrentPerSecond)} | ${versus(figures.concurrentPerSecond, memory, (f) => f.concurrentPerSecond)} | ${versus(figures.concurrentPerSecond, redis, (f) => f.concurrentPerSecond)} | ${fmt(figures.fanoutDeliveriesPerSecond)} | ${versus(figures.fanoutDeliveriesPerSecond, memory, (f) => f.fanoutDeliveriesPerSecond)} | ${versus(figures.fanoutDeliveriesPerSecond, redis, (f) => f.fanoutDeliveriesPerSecond)} | ${figures.fanoutExact ? "yes" : "**no**"} | ${fmt(figures.latencyMedianMs, 3)} | ${fmt(figures.latencyP99Ms, 3)} |`,
      );
    }
    const measured = [...this.#figures.keys()];
    const exact = [...this.#figures.values()].every((figures) => figures.fanoutExact);
    const targets = [
      `Brokers: every subscriber got every fan-out event exactly once (${measured.join(", ")}): ${verdict(exact)}`,
      ...[...this.#missing.keys()].map((kind) => `Brokers: ${kind} not measured (${this.#missing.get(kind) ?? "?"})`),
    ];
    return { lines, targets };
  }
}

/** A ratio for the table, with two significant digits below 0.1 (a database broker is far below memory). */
function smallRatio(value: number): string {
  return Number.isFinite(value) && value > 0 && value < 0.1 ? `${value.toPrecision(2)}×` : ratio(value);
}
