import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { matchesTopic, parseTopicPattern } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { RedisBroker } from "../src/redis-broker.ts";
import { createRecorder, REDIS_REQUIRED, redisCommand, waitFor } from "./support/redis.ts";
import { REDIS_SERVER_AVAILABLE, withPrivateRedis } from "./support/redis-server.ts";

const SKIP = !REDIS_SERVER_AVAILABLE && !REDIS_REQUIRED;
const NODE_SCRIPT = fileURLToPath(new URL("./support/broker-node.ts", import.meta.url));
const SUBSCRIBED = ["a", "b/*"];
const TOPICS = ["a", "b/1", "c", "b/2/x", "bb"];

describe("two broker nodes, one killed", () => {
  test.skipIf(SKIP)(
    "lets a client of node A subscribed to a and b/* resume on node B after A is killed with exactly the events it missed",
    async () => {
      await withPrivateRedis(async (redis) => {
        const nodeB = new RedisBroker({ url: redis.url, streamKey: "kill", blockMs: 1000 });
        const child = spawn(process.execPath, [NODE_SCRIPT, redis.url, "kill", SUBSCRIBED.join(","), TOPICS.join(",")], { stdio: ["ignore", "pipe", "inherit"] });
        let ready = false;
        const receivedOnA: string[] = [];
        let buffered = "";
        child.stdout.setEncoding("utf8");
        child.stdout.on("data", (chunk: string) => {
          buffered += chunk;
          const lines = buffered.split("\n");
          buffered = lines.pop() ?? "";
          for (const line of lines) {
            const message = JSON.parse(line) as { ready?: true; received?: string };
            if (message.ready === true) ready = true;
            if (message.received !== undefined) receivedOnA.push(message.received);
          }
        });
        let publishing = true;
        try {
          await waitFor("node A to subscribe", () => ready || child.exitCode !== null, 20_000);
          // Node B publishes too, before, while and after A dies.
          const onB = (async (): Promise<void> => {
            for (let index = 0; publishing; index += 1) {
              await nodeB.publish({ topics: [TOPICS[(index * 3) % TOPICS.length] as string], data: `B${index}` });
            }
          })();
          await waitFor("node A's client to receive 50 events", () => receivedOnA.length >= 50, 20_000);
          const exited = new Promise((resolve) => child.once("exit", resolve));
          child.kill("SIGKILL");
          await exited;
          const lastSeen = receivedOnA.at(-1) as string;
          const resumed = createRecorder();
          const subscription = await nodeB.subscribe(resumed.handlers, { topics: SUBSCRIBED, lastEventId: lastSeen });
          await waitFor("more events on B", () => resumed.events.length >= 20);
          publishing = false;
          await onB;
          const entries = (await redisCommand(redis.url, "XRANGE", "kill:live", "-", "+")) as [string, string[]][];
          const patterns = SUBSCRIBED.map(parseTopicPattern);
          const expected = entries
            .filter(([, fields]) => (fields[fields.indexOf("topics") + 1] as string).split(" ").some((topic) => patterns.some((pattern) => matchesTopic(pattern, topic))))
            .map(([id]) => id);
          await waitFor("the newest event on B", () => resumed.ids().at(-1) === expected.at(-1));
          expect(subscription.gap).toBeUndefined();
          expect(subscription.cursor).toBe(lastSeen);
          expect([...receivedOnA, ...resumed.ids()]).toEqual(expected);
          expect(resumed.topics.every((topic) => topic === "a" || topic.startsWith("b/"))).toBe(true);
        } finally {
          publishing = false;
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
          await nodeB.close();
        }
      });
    },
    60_000,
  );
});
