import { describe, expect, test } from "vitest";
import { HttpError } from "../../errors.ts";
import { createTriggerTokenCheck } from "./trigger-token.ts";

/** The status the check gives a request: 200 when it passes. */
function statusOf(check: ((request: Request) => void) | undefined, authorization?: string, path = "/events/trigger"): number {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  try {
    check?.(new Request(`http://localhost${path}`, { method: "POST", headers }));
    return 200;
  } catch (error) {
    if (error instanceof HttpError) return error.status;
    throw error;
  }
}

describe("createTriggerTokenCheck", () => {
  test("requires the bearer token", () => {
    const check = createTriggerTokenCheck("t0ken");
    expect(statusOf(check)).toBe(401);
    expect(statusOf(check, "Bearer nope")).toBe(401);
    expect(statusOf(check, "Bearer t0ke")).toBe(401);
    expect(statusOf(check, "Bearer t0ken")).toBe(200);
    expect(statusOf(check, "bearer t0ken")).toBe(200);
  });

  test("takes the scheme in any case and ignores trailing spaces, but never a token in the query", () => {
    const check = createTriggerTokenCheck("t0ken");
    expect(statusOf(check, "BEARER t0ken")).toBe(200);
    expect(statusOf(check, "Bearer t0ken   ")).toBe(200);
    expect(statusOf(check, undefined, "/events/trigger?access_token=t0ken&token=t0ken")).toBe(401);
    expect(statusOf(check, "Bearer T0KEN")).toBe(401);
    expect(statusOf(check, "Bearer t0ken, Bearer t0ken")).toBe(401);
  });

  test("checks nothing without a token", () => {
    expect(createTriggerTokenCheck(false)).toBeUndefined();
  });

  test("answers 401 with a Bearer challenge", () => {
    const check = createTriggerTokenCheck("t0ken");
    let caught: unknown;
    try {
      check?.(new Request("http://localhost/events/trigger", { method: "POST" }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HttpError);
    expect((caught as HttpError).headers["www-authenticate"]).toBe('Bearer realm="events"');
  });

  test("keeps two checks' tokens apart", () => {
    expect(statusOf(createTriggerTokenCheck("one"), "Bearer one")).toBe(200);
    expect(statusOf(createTriggerTokenCheck("two"), "Bearer one")).toBe(401);
  });
});
