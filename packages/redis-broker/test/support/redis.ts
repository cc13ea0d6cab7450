/**
 * Test helpers for a real Redis: availability (skip, or fail under REQUIRE_REDIS=1), one
 * unique key prefix per test (its keys deleted afterwards), subscribers that record what they
 * get, and bounded waits on conditions.
 */
import { spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import { type RedisBrokerOptions } from "../../src/options.ts";
import { RedisBroker } from "../../src/redis-broker.ts";

export { createRecorder, type Recorder, waitFor } from "../../../sse-core/src/test-support/recorder.ts";

/** The shared Redis the tests use. */
export const REDIS_URL: string = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** CI sets REQUIRE_REDIS=1: then a missing Redis fails the tests instead of skipping them. */
export const REDIS_REQUIRED: boolean = process.env.REQUIRE_REDIS === "1";

function ping(url: string): boolean {
  const result = spawnSync("redis-cli", ["-u", url, "ping"], { encoding: "utf8", timeout: 5000 });
  return result.status === 0 && result.stdout.trim() === "PONG";
}

/** Whether `redis-cli ping` answers PONG at {@link REDIS_URL}. */
export const REDIS_AVAILABLE: boolean = ping(REDIS_URL);

/** True when Redis tests must be skipped (not reachable, and not required). */
export const SKIP_REDIS: boolean = !REDIS_AVAILABLE && !REDIS_REQUIRED;

if (SKIP_REDIS) {
  console.warn(`[redis-broker] skipping Redis tests: \`redis-cli -u ${REDIS_URL} ping\` failed (set REDIS_URL, or REQUIRE_REDIS=1 to fail instead)`);
}

/** Runs `body` with a key prefix (`streamKey`) no other test uses, and deletes its keys afterwards. */
export async function withStreamKey<T>(body: (key: string) => Promise<T>, url: string = REDIS_URL): Promise<T> {
  const key = `test:events:${crypto.randomUUID()}`;
  try {
    return await body(key);
  } finally {
    await deleteKey(url, key).catch(() => undefined);
  }
}

/** Deletes every key under a prefix (`<prefix>:*`), with a short-lived connection. */
export async function deleteKey(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

/** The stream holding one topic's history under `prefix` (the default topic's when omitted). */
export function topicStream(prefix: string, topic = "events"): string {
  return `${prefix}:t:${topic}`;
}

/** Runs a raw command with a short-lived connection (e.g. `XLEN`, `XRANGE`). */
export async function redisCommand(url: string, command: string, ...args: (string | number)[]): Promise<unknown> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return await client.call(command, ...args);
  } finally {
    client.disconnect();
  }
}

/** Resolves once the async `condition()` holds (polled); fails after `timeoutMs` with `what` in the message. */
export async function waitForAsync(what: string, condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs `body` with a RedisBroker on a fresh key prefix of the shared Redis, closed afterwards. */
export async function withBroker(
  body: (broker: RedisBroker, key: string) => Promise<void>,
  historySize?: number,
  options: RedisBrokerOptions = {},
): Promise<void> {
  await withStreamKey(async (key) => {
    const broker = new RedisBroker({ url: REDIS_URL, streamKey: key, blockMs: 1000, ...(historySize === undefined ? {} : { historySize }), ...options });
    try {
      await body(broker, key);
    } finally {
      await broker.close();
    }
  });
}
