/**
 * A broker "node" in a child process, for tests that kill one: it subscribes to the topics
 * given, publishes to them as fast as PostgreSQL answers, and writes one JSON line per event
 * received (`{"received": id}`) and once subscribed (`{"ready": true}`).
 *
 * Usage: bun test/support/broker-node.ts <url> <table> <subscribed topics, comma-separated> <publish topics, comma-separated>
 */
import { PostgresBroker } from "../../src/postgres-broker.ts";

const [url, table, subscribed, publishTo] = process.argv.slice(2) as [string, string, string, string];
const broker = new PostgresBroker({ url, table, pollIntervalMs: 200 });
const write = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
await broker.subscribe({ onEvent: (event) => write({ received: event.id }) }, { topics: subscribed.split(",") });
write({ ready: true });
const topics = publishTo.split(",");
for (let index = 0; ; index += 1) {
  await broker.publish({ topics: [topics[index % topics.length] as string], data: `A${index}` });
}
