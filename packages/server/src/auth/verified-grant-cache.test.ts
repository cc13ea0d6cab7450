import { describe, expect, test } from "vitest";
import type { Grant } from "./types.ts";
import { VerifiedGrantCache } from "./verified-grant-cache.ts";

const grant = (expiresAtMs: number | undefined): Grant => ({ subscribe: ["orders/*"], publish: [], expiresAtMs, source: "bearer" });

describe("VerifiedGrantCache", () => {
  test("finds a grant by its exact token and source only", () => {
    const cache = new VerifiedGrantCache(5);
    const kept = grant(10_000);
    cache.set("bearer", "token-a", kept);
    expect(cache.get("bearer", "token-a", 0)).toBe(kept);
    expect(cache.get("cookie", "token-a", 0)).toBeUndefined();
    expect(cache.get("bearer", "token-a ", 0)).toBeUndefined();
    expect(cache.get("bearer", "token-", 0)).toBeUndefined();
  });

  test("drops a grant once its token expired, past the clock tolerance", () => {
    const cache = new VerifiedGrantCache(5);
    cache.set("bearer", "t", grant(10_000));
    expect(cache.get("bearer", "t", 14_999)).toBeDefined();
    expect(cache.get("bearer", "t", 15_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  test("stays bounded: the oldest entry goes first, and long tokens are never kept", () => {
    const cache = new VerifiedGrantCache(0);
    for (let index = 0; index < 5000; index++) cache.set("bearer", `token-${index}`, grant(undefined));
    expect(cache.size).toBe(4096);
    expect(cache.get("bearer", "token-0", 0)).toBeUndefined();
    expect(cache.get("bearer", "token-4999", 0)).toBeDefined();
    cache.set("bearer", "x".repeat(5000), grant(undefined));
    expect(cache.get("bearer", "x".repeat(5000), 0)).toBeUndefined();
  });
});
