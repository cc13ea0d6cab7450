import { describe, expect, test } from "vitest";
import { ServerOptionsError } from "../server-options-error.ts";
import { TEST_SECRET, keyPairWithPem } from "../test-support/auth-tokens.ts";
import { DEFAULT_AUTH_OPTIONS, authEnabled, resolveAuthOptions, type AuthOptions } from "./auth-options.ts";

function problemOf(options: AuthOptions): string {
  try {
    resolveAuthOptions(options);
  } catch (error) {
    if (error instanceof ServerOptionsError && error.code === "INVALID_OPTION") return error.message;
    throw error;
  }
  throw new Error("expected INVALID_OPTION");
}

describe("resolveAuthOptions", () => {
  test("fills in the defaults: no key, claim events, cookie events_token, no query tokens, 5 s tolerance", () => {
    const resolved = resolveAuthOptions({});
    expect({
      claim: resolved.claim,
      authCookie: resolved.authCookie,
      allowQueryToken: resolved.allowQueryToken,
      clockToleranceSeconds: resolved.clockToleranceSeconds,
      publicTopics: resolved.publicTopics,
      tokenKey: resolved.tokenKey,
    }).toEqual({ claim: "events", authCookie: "events_token", allowQueryToken: false, clockToleranceSeconds: 5, publicTopics: [], tokenKey: undefined });
    expect(Object.isFrozen(DEFAULT_AUTH_OPTIONS)).toBe(true);
    expect(resolved.fetch).toBe(globalThis.fetch);
  });

  test("pins algorithms to the key: HS256 (+HS384/HS512 by secret length), the public key's kind, asymmetric for a JWKS", async () => {
    expect(resolveAuthOptions({ jwtSecret: "x".repeat(32) }).tokenKey?.algorithms).toEqual(["HS256"]);
    expect(resolveAuthOptions({ jwtSecret: "x".repeat(64) }).tokenKey?.algorithms).toEqual(["HS256", "HS384", "HS512"]);
    expect(resolveAuthOptions({ jwtPublicKey: (await keyPairWithPem("ES256")).pem }).tokenKey?.algorithms).toEqual(["ES256"]);
    const jwks = resolveAuthOptions({ jwksUrl: "https://id.example/jwks.json" }).tokenKey?.algorithms ?? [];
    expect(jwks.some((alg) => alg.startsWith("HS") || alg === "none")).toBe(false);
  });

  test("refuses a secret shorter than 32 bytes without printing it", () => {
    const message = problemOf({ jwtSecret: "short-but-secret-value" });
    expect(message).toContain("jwtSecret must be at least 32 bytes (got 22)");
    expect(message).not.toContain("short-but-secret-value");
  });

  test("refuses a PEM given as the secret, and a bad PEM, without printing either", async () => {
    const { pem } = await keyPairWithPem("RS256");
    expect(problemOf({ jwtSecret: pem })).toContain("pass a public key as jwtPublicKey");
    const garbage = `-----BEGIN PUBLIC KEY-----\nTUlJQmlqQU5CZ2txaGtpRzl3MEJBUUVGQUFPQ0FROEFNSUlCQ2dLQ0FRRUFzZWNyZXQ=\n-----END PUBLIC KEY-----`;
    const message = problemOf({ jwtPublicKey: garbage });
    expect(message).toContain("not a well-formed SPKI public key; give a PEM");
    expect(message).not.toContain("TUlJ");
    expect(() => resolveAuthOptions({ jwtPublicKey: pem })).not.toThrow();
  });

  test("refuses two kinds of key at once", async () => {
    const { pem } = await keyPairWithPem("ES256");
    expect(problemOf({ jwtSecret: TEST_SECRET, jwtPublicKey: pem })).toBe(
      "auth option set one of jwtSecret, jwtPublicKey and jwksUrl, not jwtSecret and jwtPublicKey: tokens are verified with one kind of key",
    );
    expect(problemOf({ jwtPublicKey: pem, jwksUrl: "https://id.example/jwks" })).toContain("not jwtPublicKey and jwksUrl");
  });

  test("takes a JWKS URL over https, or http on loopback only", () => {
    for (const url of ["https://id.example/.well-known/jwks.json", "http://127.0.0.1:8080/jwks", "http://localhost/jwks", "http://[::1]:9/jwks"]) {
      expect(resolveAuthOptions({ jwksUrl: url }).tokenKey?.kind).toBe("jwks");
    }
    for (const url of ["http://id.example/jwks", "ftp://id.example/jwks", "not a url", "https://user:pw@id.example/jwks"]) {
      expect(problemOf({ jwksUrl: url })).toContain("jwksUrl");
    }
  });

  test("refuses a bad public topic pattern, naming it", () => {
    expect(problemOf({ publicTopics: ["news/*", "news/*/x"] })).toContain('auth option publicTopics: topic pattern may use "*" only alone');
  });

  test("refuses a cookie name that is not an RFC 6265 token", () => {
    for (const authCookie of ["", "a b", "a;b", "a=b", "tökén"]) expect(problemOf({ authCookie })).toContain("authCookie must be a cookie name");
  });

  test("refuses empty issuer, audience, claim or trigger token and a negative tolerance", () => {
    expect(problemOf({ jwtIssuer: "" })).toContain("jwtIssuer must be a non-empty string or false");
    expect(problemOf({ jwtAudience: "" })).toContain("jwtAudience");
    expect(problemOf({ claim: "" })).toContain("claim must be a non-empty string");
    expect(problemOf({ triggerToken: "" })).toContain("triggerToken");
    expect(problemOf({ clockToleranceSeconds: -1 })).toContain("clockToleranceSeconds must be a number >= 0");
  });
});

describe("authEnabled", () => {
  test("is on with a key, an authorize hook or public topics, off otherwise", () => {
    expect(authEnabled({})).toBe(false);
    expect(authEnabled({ triggerToken: "t", allowQueryToken: true, jwtSecret: false })).toBe(false);
    expect(authEnabled({ jwtSecret: TEST_SECRET })).toBe(true);
    expect(authEnabled({ jwksUrl: "https://id.example/jwks" })).toBe(true);
    expect(authEnabled({ authorize: () => undefined })).toBe(true);
    expect(authEnabled({ publicTopics: ["news/*"] })).toBe(true);
  });
});
