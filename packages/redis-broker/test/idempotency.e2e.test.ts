import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { REDIS_REQUIRED, redisCommand } from "./support/redis.ts";
import { REDIS_SERVER_AVAILABLE, withPrivateRedis } from "./support/redis-server.ts";
import { type ServerNode, trigger, waitUntil, withNodes } from "./support/server-node.ts";

const SERVER_READY = existsSync(fileURLToPath(new URL("../../server/src/runtime/bun.ts", import.meta.url)));
const SKIP = (!REDIS_SERVER_AVAILABLE || !SERVER_READY) && !REDIS_REQUIRED;
const TRIGGERS = 1000;
const BATCH = 50;

type Answer = Awaited<ReturnType<typeof trigger>>;

/** Runs `send` for every index in `[from, to)`, `BATCH` at a time, and returns the answers in order. */
async function inBatches(from: number, to: number, send: (index: number) => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let start = from; start < to; start += BATCH) {
    const indexes = Array.from({ length: Math.min(BATCH, to - start) }, (_, offset) => start + offset);
    answers.push(...(await Promise.all(indexes.map(send))));
  }
  return answers;
}

async function healthy(node: ServerNode): Promise<boolean> {
  return (await fetch(`${node.url}/healthz`).catch(() => undefined))?.status === 200;
}

describe("idempotent triggers on a node whose Redis freezes", () => {
  test.skipIf(SKIP)(
    "stores 1,000 triggers exactly once when each is sent twice with one Idempotency-Key and half the first sends meet a frozen Redis",
    async () => {
      await withPrivateRedis(async (redis) => {
        await withNodes(1, { redisUrl: redis.url, historySize: 5 * TRIGGERS }, async ([node]) => {
          if (node === undefined) throw new Error("one node expected");
          const send = (index: number): Promise<Answer> => trigger(node, `m${index}`, { "idempotency-key": `trigger-${index}` });

          const before = await inBatches(0, TRIGGERS / 2, send);
          expect(before.every((answer) => answer.status === 200)).toBe(true);

          // The node's commands reach Redis and wait in its buffers; they time out unanswered.
          redis.freeze();
          let cut: Answer[];
          try {
            cut = await Promise.all(Array.from({ length: TRIGGERS / 2 }, (_, offset) => send(TRIGGERS / 2 + offset)));
          } finally {
            redis.thaw();
          }
          expect(cut.every((answer) => answer.status === 503)).toBe(true);
          const codes = new Set(cut.map((answer) => answer.body.error?.code));
          // Sent and unanswered is PUBLISH_UNCONFIRMED; a few may meet the dropped connection and never be sent.
          expect(codes.has("PUBLISH_UNCONFIRMED")).toBe(true);
          expect([...codes].every((code) => code === "PUBLISH_UNCONFIRMED" || code === "BROKER_UNAVAILABLE")).toBe(true);
          const unconfirmed = cut.find((answer) => answer.body.error?.code === "PUBLISH_UNCONFIRMED");
          expect(unconfirmed?.body.error?.message).toContain("may or may not have been stored");

          // Every trigger again with its key, as a client retries; a 503 while the node reconnects is retried too.
          await waitUntil(() => healthy(node), 20_000, "the node to reconnect to Redis");
          const again = await inBatches(0, TRIGGERS, async (index) => {
            for (let attempt = 0; ; attempt += 1) {
              const answer = await send(index);
              if (answer.status !== 503 || attempt === 10) return answer;
              await waitUntil(() => healthy(node), 20_000, "the node to reconnect to Redis");
            }
          });
          expect(again.filter((answer) => answer.status !== 200)).toEqual([]);
          expect(again.slice(0, TRIGGERS / 2).map((answer) => answer.body.id)).toEqual(before.map((answer) => answer.body.id));

          const entries = (await redisCommand(redis.url, "XRANGE", "events:stream:t:events", "-", "+")) as [string, string[]][];
          const messages = entries.map(([, fields]) => (JSON.parse(fields[fields.indexOf("data") + 1] as string) as { message: string }).message);
          expect(entries.length).toBe(TRIGGERS);
          expect(new Set(messages).size).toBe(TRIGGERS);
          // Each answer names the one event stored for its trigger.
          const idByMessage = new Map(entries.map(([id], index) => [messages[index], id]));
          expect(again.map((answer) => answer.body.id)).toEqual(again.map((_, index) => idByMessage.get(`m${index}`)));
        });
      });
    },
    120_000,
  );
});
