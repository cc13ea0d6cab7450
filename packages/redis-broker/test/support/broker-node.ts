/**
 * A broker "node" in a child process, for tests that kill one: it subscribes to the topics
 * given, publishes to random topics as fast as Redis answers, and writes one JSON line per
 * event received (`{"received": id, "topic": t}`) and per event published (`{"published": id}`).
 *
 * Usage: bun test/support/broker-node.ts <redisUrl> <streamKey> <subscribed topics, comma-separated> <publish topics, comma-separated>
 */
import { RedisBroker } from "../../src/redis-broker.ts";

const [redisUrl, streamKey, subscribed, publishTo] = process.argv.slice(2) as [string, string, string, string];
const broker = new RedisBroker({ url: redisUrl, streamKey, blockMs: 1000 });
const write = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
await broker.subscribe({ onEvent: (event, topic) => write({ received: event.id, topic }) }, { topics: subscribed.split(",") });
write({ ready: true });
const topics = publishTo.split(",");
for (let index = 0; ; index += 1) {
  const topic = topics[index % topics.length] as string;
  const event = await broker.publish({ topics: [topic], data: `A${index}` });
  write({ published: event.id });
}
