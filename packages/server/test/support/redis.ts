/** Whether the tests that need a Redis can run: they skip with a message, or fail under REQUIRE_REDIS=1 (CI). */
import { connect } from "node:net";

/** The Redis the tests use. */
export const REDIS_URL: string = process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379";

async function redisReachable(): Promise<boolean> {
  const url = new URL(REDIS_URL);
  return await new Promise<boolean>((resolve) => {
    const socket = connect(Number(url.port || 6379), url.hostname);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on("connect", () => done(true));
    socket.on("error", () => done(false));
  });
}

/**
 * True when the Redis tests of `what` must skip (no Redis, and not required); throws under
 * REQUIRE_REDIS=1 when Redis is missing, so CI never skips them silently.
 */
export async function skipWithoutRedis(what: string): Promise<boolean> {
  if (await redisReachable()) return false;
  if (process.env["REQUIRE_REDIS"] === "1") throw new Error(`REQUIRE_REDIS=1 but Redis is not reachable at ${REDIS_URL}`);
  console.warn(`skipping ${what}: no Redis at ${REDIS_URL} (set REQUIRE_REDIS=1 to fail instead)`);
  return true;
}
