/**
 * The Redis half of "a resume on a quiet topic costs O(its own missed events)": a RedisBroker
 * on the local Redis resumes a quiet topic a few events back, first with `small` then with
 * `large` events of other topics in history; the Redis commands each resume costs (from
 * `INFO commandstats`, commands run inside scripts included) must not grow with them.
 */
import { RedisBroker } from "@events/redis-broker";
import { Redis } from "ioredis";

/** What one history size measured. */
export interface RedisResumeCost {
  readonly otherEvents: number;
  /** Redis commands per resume (median), the node's own reader and the measuring connection excluded. */
  readonly commandsPerResume: number;
  /** The commands of one resume, by name. */
  readonly commands: Readonly<Record<string, number>>;
  readonly medianMs: number;
  readonly replayedOk: boolean;
}

const URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** Commands that are not the resume's: the reader catching up, and this measuring connection. */
const IGNORED = new Set(["info", "hello", "config|resetstat", "xread", "client|setinfo", "select"]);

async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const info = String(await redis.info("commandstats"));
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (!IGNORED.has(match[1] as string)) calls.set(match[1] as string, Number(match[2]));
  }
  return calls;
}

async function publishElsewhere(broker: RedisBroker, count: number, topics: number, offset: number): Promise<void> {
  const data = JSON.stringify({ message: "x".repeat(48) });
  for (let start = 0; start < count; start += 500) {
    const batch = Math.min(500, count - start);
    await Promise.all(Array.from({ length: batch }, (_, i) => broker.publish({ topics: [`other/${(offset + start + i) % topics}`], data })));
  }
}

/**
 * Measures resumes of `quiet` (`back` events back) with `sizes` other events in history, in
 * increasing order (each size adds to the last). Returns undefined when Redis is not reachable.
 */
export async function runRedisResumeCost(sizes: readonly number[], back: number): Promise<RedisResumeCost[] | undefined> {
  const probe = new Redis(URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
  } catch {
    probe.disconnect();
    return undefined;
  }
  const streamKey = `bench:topics:${Date.now()}`;
  const broker = new RedisBroker({ url: URL, streamKey, historySize: Math.max(...sizes) });
  const results: RedisResumeCost[] = [];
  try {
    // The reader's one-time start is not a resume's cost.
    (await broker.subscribe({ onEvent: () => {} }, { topics: ["nothing"] })).unsubscribe();
    let published = 0;
    for (const size of sizes) {
      await publishElsewhere(broker, size - published, 100, published);
      published = size;
      const quiet: string[] = [];
      for (let i = 0; i <= back; i++) quiet.push((await broker.publish({ topics: ["quiet"], data: `q${i}` })).id);
      const lastEventId = quiet[0] as string;
      const counts: number[] = [];
      const times: number[] = [];
      let commands: Record<string, number> = {};
      let replayedOk = true;
      for (let run = 0; run < 50; run++) {
        await probe.config("RESETSTAT");
        let replayed = 0;
        const start = performance.now();
        const subscription = await broker.subscribe({ onEvent: () => void (replayed += 1) }, { topics: ["quiet"], lastEventId });
        times.push(performance.now() - start);
        subscription.unsubscribe();
        const calls = await commandCalls(probe);
        counts.push([...calls.values()].reduce((sum, n) => sum + n, 0));
        commands = Object.fromEntries(calls);
        // Earlier sizes' quiet events are newer than lastEventId too only within this size: exactly `back`.
        if (replayed !== back) replayedOk = false;
      }
      counts.sort((a, b) => a - b);
      times.sort((a, b) => a - b);
      results.push({
        otherEvents: size,
        commandsPerResume: counts[counts.length >> 1] as number,
        commands,
        medianMs: times[times.length >> 1] as number,
        replayedOk,
      });
    }
    return results;
  } finally {
    await broker.close();
    // Leave the shared Redis as we found it.
    const keys = await probe.keys(`${streamKey}*`);
    if (keys.length > 0) await probe.del(...keys);
    probe.disconnect();
  }
}
