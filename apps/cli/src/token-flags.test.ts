import { describe, expect, test } from "vitest";
import { DEFAULT_TOKEN_TTL_MS, parseTokenFlags } from "./token-flags.ts";
import { UsageError } from "./usage-error.ts";

const SECRET = "0123456789abcdef0123456789abcdef";

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error("expected a UsageError");
}

describe("parseTokenFlags", () => {
  test("reads every flag, with a one-hour ttl and the events claim by default", () => {
    const command = parseTokenFlags({ secret: SECRET, subscribe: ["orders/*", "users/7"], publish: ["orders/*"], sub: "u7" }, {});
    expect(command).toEqual({
      kind: "token",
      secret: SECRET,
      subscribe: ["orders/*", "users/7"],
      publish: ["orders/*"],
      ttlMs: DEFAULT_TOKEN_TTL_MS,
      issuer: undefined,
      audience: undefined,
      subject: "u7",
      claim: "events",
    });
  });

  test("takes the secret from EVENTS_JWT_SECRET, and - as stdin", () => {
    expect(parseTokenFlags({}, { EVENTS_JWT_SECRET: SECRET }).secret).toBe(SECRET);
    expect(parseTokenFlags({ secret: "-" }, { EVENTS_JWT_SECRET: SECRET }).secret).toEqual({ from: "stdin" });
  });

  test("refuses a missing secret", () => {
    expect(usageError(() => parseTokenFlags({}, {})).message).toMatch(/^missing --secret/);
  });

  test("refuses a secret shorter than 32 bytes without showing it", () => {
    const error = usageError(() => parseTokenFlags({ secret: "hunter2-hunter2" }, {}));
    expect(error.message).toContain("--secret must be at least 32 bytes");
    expect(error.message).not.toContain("hunter2");
    expect(usageError(() => parseTokenFlags({}, { EVENTS_JWT_SECRET: "short" })).message).toMatch(/^EVENTS_JWT_SECRET must be/);
  });

  test("refuses a pattern the server would refuse, naming the flag", () => {
    expect(usageError(() => parseTokenFlags({ secret: SECRET, subscribe: ["orders/*/x"] }, {})).message).toMatch(/^--subscribe: topic pattern/);
    expect(usageError(() => parseTokenFlags({ secret: SECRET, publish: [""] }, {})).message).toMatch(/^--publish: /);
  });

  test("refuses a ttl under a second or not a duration, and a registered claim name", () => {
    for (const ttl of ["0", "500ms", "1 hour", "-1h"]) expect(usageError(() => parseTokenFlags({ secret: SECRET, ttl }, {})).message).toMatch(/^--ttl must be/);
    for (const claim of ["exp", "sub", ""]) expect(usageError(() => parseTokenFlags({ secret: SECRET, claim }, {})).message).toMatch(/^--claim must/);
  });
});
