/** Whether the tests that need a Redis can run: they skip with a message, or fail under REQUIRE_REDIS=1 (CI). */
import { skipWithoutService } from "./service-probe.ts";

/** The Redis the tests use. */
export const REDIS_URL: string = process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379";

/**
 * True when the Redis tests of `what` must skip (no Redis, and not required); throws under
 * REQUIRE_REDIS=1 when Redis is missing, so CI never skips them silently.
 */
export function skipWithoutRedis(what: string): Promise<boolean> {
  return skipWithoutService({ name: "Redis", requireVariable: "REQUIRE_REDIS", url: REDIS_URL, defaultPort: 6379 }, what);
}
