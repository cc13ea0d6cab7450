import { describe, expect, test } from "vitest";
import { HttpError } from "../errors.ts";
import { createCsrfCheck } from "./csrf.ts";

function post(origin: string | undefined, url = "http://events.example:8080/events/publish"): Request {
  return new Request(url, { method: "POST", headers: origin === undefined ? {} : { origin } });
}

function refusal(check: (request: Request) => void, request: Request): HttpError {
  try {
    check(request);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error("expected CSRF_REJECTED");
}

describe("createCsrfCheck", () => {
  test("accepts the request's own origin, whatever scheme a TLS proxy left", () => {
    const check = createCsrfCheck();
    expect(() => check(post("http://events.example:8080"))).not.toThrow();
    expect(() => check(post("https://events.example:8080"))).not.toThrow();
  });

  test("accepts an allow-listed origin and refuses others with 403 CSRF_REJECTED", () => {
    const check = createCsrfCheck({ trustedOrigins: ["https://app.example"] });
    expect(() => check(post("https://app.example"))).not.toThrow();
    const error = refusal(check, post("https://evil.example"));
    expect(error.code).toBe("CSRF_REJECTED");
    expect(error.status).toBe(403);
    expect(error.message).toContain('got Origin "https://evil.example"');
  });

  test("refuses another port of the same host, a missing Origin and Origin null", () => {
    const check = createCsrfCheck({ trustedOrigins: ["https://app.example"] });
    expect(refusal(check, post("http://events.example:9090")).code).toBe("CSRF_REJECTED");
    expect(refusal(check, post(undefined)).message).toContain("got no Origin header");
    expect(refusal(check, post("null")).code).toBe("CSRF_REJECTED");
  });

  test("never trusts every origin through a * in the CORS list", () => {
    const check = createCsrfCheck({ trustedOrigins: ["*"] });
    expect(refusal(check, post("https://evil.example")).code).toBe("CSRF_REJECTED");
  });
});
