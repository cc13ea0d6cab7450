import { describe, expect, test } from "vitest";
import { resolveConnectionOptions } from "./connection-options.ts";
import { EventsClientError } from "./errors.ts";
import { checkTokenOption, fetchToken, withFreshToken } from "./token.ts";

async function failure(promise: Promise<unknown>): Promise<EventsClientError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof EventsClientError)) throw new Error(`expected an EventsClientError, got ${String(error)}`);
  return error;
}

describe("token option", () => {
  test("puts a fixed token in the headers and keeps a function for each request", () => {
    const fixed = resolveConnectionOptions({ token: "abc" }, false);
    expect(fixed.headers).toEqual({ authorization: "Bearer abc" });
    expect(fixed.getToken).toBeUndefined();
    const getToken = (): string => "x";
    const refreshed = resolveConnectionOptions({ token: getToken }, false);
    expect(refreshed.headers).toEqual({});
    expect(refreshed.getToken).toBe(getToken);
  });

  test("refuses an empty string, CR or LF, and anything but a string or function at construction with INVALID_OPTION", () => {
    for (const value of ["", "a\nb", "a\rb", 7, null]) {
      let error: unknown;
      try {
        checkTokenOption(value);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(EventsClientError);
      expect((error as EventsClientError).code).toBe("INVALID_OPTION");
      expect((error as EventsClientError).message).toMatch(/^token /);
    }
  });
});

describe("fetchToken", () => {
  test("resolves a sync or async function's value", async () => {
    expect(await fetchToken(() => "a")).toBe("a");
    expect(await fetchToken(async () => "b")).toBe("b");
  });

  test("wraps a throw or a rejection as TOKEN_ERROR with the cause", async () => {
    const boom = new Error("boom");
    const thrown = await failure(fetchToken(() => { throw boom; }));
    expect(thrown.code).toBe("TOKEN_ERROR");
    expect(thrown.cause).toBe(boom);
    expect(thrown.message).toContain("boom");
    expect((await failure(fetchToken(() => Promise.reject(boom)))).code).toBe("TOKEN_ERROR");
  });

  test("refuses an empty value, CR or LF, and non-strings with INVALID_TOKEN", async () => {
    for (const value of ["", "a\rb", "a\nb", undefined, 1]) {
      const error = await failure(fetchToken(() => value as string));
      expect(error.code).toBe("INVALID_TOKEN");
    }
  });

  test("stops waiting when the signal aborts", async () => {
    const controller = new AbortController();
    const pending = fetchToken(() => new Promise<string>(() => {}), controller.signal);
    controller.abort();
    expect((await failure(pending)).code).toBe("TOKEN_ERROR");
  });

  test("adds the fresh token to a copy of the headers", async () => {
    const headers = { "x-a": "1" };
    expect(await withFreshToken(headers, () => "t")).toEqual({ "x-a": "1", authorization: "Bearer t" });
    expect(await withFreshToken(headers, undefined)).toBe(headers);
  });
});
