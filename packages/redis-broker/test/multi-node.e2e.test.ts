import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { REDIS_REQUIRED } from "./support/redis.ts";
import { REDIS_SERVER_AVAILABLE, withPrivateRedis } from "./support/redis-server.ts";
import { DENO_AVAILABLE, openStream, trigger, triggerOk, waitUntil, withNodes } from "./support/server-node.ts";

const SERVER_READY = existsSync(fileURLToPath(new URL("../../server/src/runtime/bun.ts", import.meta.url)));
if (!SERVER_READY) console.warn("[redis-broker] skipping multi-node tests: packages/server/src/runtime/bun.ts does not exist");
// Each test runs its own redis-server (no persistence), so nodes and keys never meet another test's.
const SKIP = (!REDIS_SERVER_AVAILABLE || !SERVER_READY) && !REDIS_REQUIRED;
const E2E_TIMEOUT_MS = 60_000;

describe("several server nodes on one Redis", () => {
  test.skipIf(SKIP)(
    "delivers a trigger on node A to clients on A and on B, in the same order, with the same ids",
    async () => {
      await withPrivateRedis(async (redis) => {
        await withNodes(2, { redisUrl: redis.url }, async ([a, b]) => {
          if (a === undefined || b === undefined) throw new Error("two nodes expected");
          const onA = await openStream(a);
          const onB = await openStream(b);
          try {
            const ids: string[] = [];
            for (let index = 0; index < 20; index += 1) ids.push(await triggerOk(index % 4 === 3 ? b : a, `m${index}`));
            await Promise.all([onA, onB].map((client) => client.until(() => client.messageIds().length === 20, "20 messages on both nodes")));
            expect(onA.messageIds()).toEqual(ids);
            expect(onB.messageIds()).toEqual(ids);
            const messages = onB.events.filter((event) => event.type === "message").map((event) => JSON.parse(event.data));
            expect(messages).toEqual(ids.map((_, index) => ({ message: `m${index}` })));
          } finally {
            onA.close();
            onB.close();
          }
        });
      });
    },
    E2E_TIMEOUT_MS,
  );

  test.skipIf(SKIP || (!DENO_AVAILABLE && process.env.REQUIRE_DENO !== "1"))(
    "shares one history between a node on Bun and a node on Deno",
    async () => {
      await withPrivateRedis(async (redis) => {
        await withNodes(
          2,
          { redisUrl: redis.url },
          async ([onBun, onDeno]) => {
            if (onBun === undefined || onDeno === undefined) throw new Error("two nodes expected");
            const bunClient = await openStream(onBun);
            const denoClient = await openStream(onDeno);
            try {
              const ids: string[] = [];
              for (let index = 0; index < 10; index += 1) ids.push(await triggerOk(index % 2 === 0 ? onBun : onDeno, `m${index}`));
              await Promise.all([bunClient, denoClient].map((client) => client.until(() => client.messageIds().length === 10, "10 messages on both nodes")));
              expect(bunClient.messageIds()).toEqual(ids);
              expect(denoClient.messageIds()).toEqual(ids);
            } finally {
              bunClient.close();
              denoClient.close();
            }
          },
          ["bun", "deno"],
        );
      });
    },
    E2E_TIMEOUT_MS,
  );

  test.skipIf(SKIP)(
    "lets a client of a killed node resume on another node with every event exactly once, in order",
    async () => {
      await withPrivateRedis(async (redis) => {
        await withNodes(2, { redisUrl: redis.url }, async ([a, b]) => {
          if (a === undefined || b === undefined) throw new Error("two nodes expected");
          const triggered: string[] = [];
          const first = await openStream(a);
          for (let index = 0; index < 5; index += 1) triggered.push(await triggerOk(a, `a${index}`));
          await first.until(() => first.messageIds().length === 5, "the events triggered on A");
          // Events keep coming on B while A dies and the client moves over.
          let keepTriggering = true;
          const onB = (async (): Promise<void> => {
            for (let index = 0; keepTriggering || index < 10; index += 1) triggered.push(await triggerOk(b, `b${index}`));
          })();
          await first.until(() => first.messageIds().length >= 7, "B's events to reach the client on A");
          await a.kill();
          await first.until(() => first.ended, "the stream on A to end");
          const lastSeen = first.events.at(-1)?.lastEventId as string;
          const resumed = await openStream(b, lastSeen);
          try {
            expect(resumed.events.some((event) => event.type === "gap")).toBe(false);
            keepTriggering = false;
            await onB;
            const newest = triggered.at(-1) as string;
            await resumed.until(() => resumed.messageIds().at(-1) === newest, "the newest event on the resumed stream");
            const received = [...first.messageIds(), ...resumed.messageIds()];
            expect(received).toEqual(triggered);
          } finally {
            keepTriggering = false;
            resumed.close();
          }
        });
      });
    },
    E2E_TIMEOUT_MS,
  );

  test.skipIf(SKIP)(
    "announces a gap to a client resuming from an id trimmed out of the history",
    async () => {
      await withPrivateRedis(async (redis) => {
        await withNodes(1, { redisUrl: redis.url, historySize: 10 }, async ([a]) => {
          if (a === undefined) throw new Error("a node expected");
          const ids: string[] = [];
          for (let index = 0; index < 250; index += 1) ids.push(await triggerOk(a, `m${index}`));
          const client = await openStream(a, ids[0]);
          try {
            await client.until(() => client.messageIds().at(-1) === ids.at(-1), "the newest event");
            const gap = client.events.find((event) => event.type === "gap");
            expect(gap).toBeDefined();
            expect(JSON.parse(gap?.data ?? "{}")).toMatchObject({ requestedId: ids[0], reason: "too-old" });
            const replayed = client.messageIds();
            expect(replayed.length).toBeLessThan(250);
            expect(replayed).toEqual(ids.slice(ids.length - replayed.length));
          } finally {
            client.close();
          }
        });
      });
    },
    E2E_TIMEOUT_MS,
  );

  test.skipIf(SKIP)(
    "answers 503 while Redis is down, then delivers new events to existing clients on both nodes",
    async () => {
      await withPrivateRedis(async (redis) => {
        await withNodes(2, { redisUrl: redis.url }, async ([a, b]) => {
          if (a === undefined || b === undefined) throw new Error("two nodes expected");
          const onA = await openStream(a);
          const onB = await openStream(b);
          try {
            const before = await triggerOk(a, "before");
            await Promise.all([onA, onB].map((client) => client.until(() => client.messageIds().length === 1, "the first event on both nodes")));

            await redis.kill();
            const down = await trigger(a, "while down");
            expect(down.status).toBe(503);
            expect((await trigger(b, "while down")).status).toBe(503);

            await redis.restart();
            await waitUntil(async () => (await fetch(`${a.url}/healthz`)).status === 200, 20_000, "node A to see Redis again");
            // B is resumed from below, so it too must have reconnected before the assertions.
            await waitUntil(async () => (await fetch(`${b.url}/healthz`)).status === 200, 20_000, "node B to see Redis again");
            const after = await triggerOk(a, "after");
            await Promise.all([onA, onB].map((client) => client.until(() => client.messageIds().length === 2, "the new event on both nodes")));
            expect(onA.messageIds()).toEqual([before, after]);
            expect(onB.messageIds()).toEqual([before, after]);
            expect(onA.ended || onB.ended).toBe(false);

            // The restarted Redis has none of the old history: resuming from it is a gap.
            const resumed = await openStream(b, before);
            try {
              await resumed.until(() => resumed.messageIds().includes(after), "the replay");
              const gap = resumed.events.find((event) => event.type === "gap");
              expect(JSON.parse(gap?.data ?? "{}")).toMatchObject({ requestedId: before, reason: "other-epoch" });
            } finally {
              resumed.close();
            }
          } finally {
            onA.close();
            onB.close();
          }
        });
      });
    },
    E2E_TIMEOUT_MS,
  );
});
