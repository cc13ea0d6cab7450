import { describe, expect, test } from "vitest";
import { SignJWT } from "jose";
import { TEST_SECRET, keyPairWithPem, nowSeconds, refusalOf, signToken, streamRequest, unsecuredToken } from "../test-support/auth-tokens.ts";
import { createAuthenticator } from "./authenticator.ts";

const CLAIMS = { sub: "u7", events: { subscribe: ["orders/42", "users/7/*"], publish: ["orders/*"] } };

function bearer(token: string): Request {
  return streamRequest({ authorization: `Bearer ${token}` });
}

/** Asserts a 401 INVALID_TOKEN with `reason`, and that neither the token nor the secret leaks. */
async function expectInvalid(auth: ReturnType<typeof createAuthenticator>, token: string, reason: string): Promise<void> {
  const refusal = await refusalOf(() => auth.authenticate(bearer(token)));
  expect({ status: refusal.status, code: refusal.code, message: refusal.message }).toEqual({
    status: 401,
    code: "INVALID_TOKEN",
    message: `${reason}; get a new token`,
  });
  expect(refusal.challenge).toBe(`Bearer realm="events", error="invalid_token", error_description="${reason}"`);
  for (const text of [refusal.message, refusal.challenge ?? ""]) {
    expect(text).not.toContain(token);
    expect(text).not.toContain(TEST_SECRET);
  }
}

describe("createAuthenticator with a secret (HS256)", () => {
  const auth = createAuthenticator({ jwtSecret: TEST_SECRET, publicTopics: ["news/*"] });

  test("grants a valid token's claim plus the public topics, until its exp", async () => {
    const exp = nowSeconds() + 600;
    const grant = await auth.authenticate(bearer(await signToken(CLAIMS, TEST_SECRET, { exp })));
    expect(grant).toEqual({ subscribe: ["orders/42", "users/7/*", "news/*"], publish: ["orders/*"], expiresAtMs: exp * 1000, source: "bearer" });
  });

  test("grants no topics beyond the public ones to a token without the claim", async () => {
    const grant = await auth.authenticate(bearer(await signToken({ sub: "u7" }, TEST_SECRET)));
    expect({ subscribe: grant.subscribe, publish: grant.publish }).toEqual({ subscribe: ["news/*"], publish: [] });
  });

  test("accepts HS384 with a secret of 48 bytes, but not HS512", async () => {
    expect((await auth.authenticate(bearer(await signToken(CLAIMS, TEST_SECRET, { alg: "HS384" })))).source).toBe("bearer");
    await expectInvalid(auth, await signToken(CLAIMS, TEST_SECRET, { alg: "HS512" }), "unsupported algorithm");
  });

  test("refuses a forged signature", async () => {
    const token = await signToken(CLAIMS, TEST_SECRET);
    const [header, , signature] = token.split(".");
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...CLAIMS, events: { subscribe: ["*"] }, exp: nowSeconds() + 60 })).toString("base64url")}.${signature}`;
    await expectInvalid(auth, forged, "bad signature");
    await expectInvalid(auth, await signToken(CLAIMS, `${TEST_SECRET}x`), "bad signature");
  });

  test("refuses alg none", async () => {
    await expectInvalid(auth, unsecuredToken({ ...CLAIMS, exp: nowSeconds() + 60 }), "unsupported algorithm");
  });

  test("refuses an expired token, and honours the clock tolerance", async () => {
    await expectInvalid(auth, await signToken(CLAIMS, TEST_SECRET, { exp: nowSeconds() - 60 }), "token expired");
    expect((await auth.authenticate(bearer(await signToken(CLAIMS, TEST_SECRET, { exp: nowSeconds() - 2 })))).source).toBe("bearer");
  });

  test("refuses a token whose nbf or iat is in the future", async () => {
    await expectInvalid(auth, await signToken(CLAIMS, TEST_SECRET, { nbf: nowSeconds() + 120 }), "token not yet valid");
    await expectInvalid(auth, await signToken(CLAIMS, TEST_SECRET, { iat: nowSeconds() + 120 }), "token not yet valid");
    expect((await auth.authenticate(bearer(await signToken(CLAIMS, TEST_SECRET, { nbf: nowSeconds() + 2 })))).source).toBe("bearer");
  });

  test("refuses a token without exp: a stream must end", async () => {
    await expectInvalid(auth, await signToken(CLAIMS, TEST_SECRET, { exp: null }), "token has no exp");
  });

  test("refuses what is not a JWT, or a JWT that is too long", async () => {
    for (const token of ["abc", "a.b.c", "e30.e30.", `${"a".repeat(9000)}.b.c`]) await expectInvalid(auth, token, "malformed token");
  });

  test("refuses a malformed events claim with its reason", async () => {
    for (const events of [["orders/42"], "orders/42", { subscribe: "orders/42" }, { subscribe: ["orders/*/x"] }, { publish: [42] }, { subscribe: ["orders/42/../43"] }, null]) {
      await expectInvalid(auth, await signToken({ events }, TEST_SECRET), "malformed events claim");
    }
  });

  test("reads the claim named by the claim option", async () => {
    const custom = createAuthenticator({ jwtSecret: TEST_SECRET, claim: "https://example.com/events" });
    const grant = await custom.authenticate(bearer(await signToken({ "https://example.com/events": { subscribe: ["a"] }, events: { subscribe: ["*"] } }, TEST_SECRET)));
    expect(grant.subscribe).toEqual(["a"]);
  });
});

describe("createAuthenticator with issuer and audience", () => {
  const auth = createAuthenticator({ jwtSecret: TEST_SECRET, jwtIssuer: "https://id.example", jwtAudience: "events" });

  test("accepts the configured iss and aud", async () => {
    const token = await signToken(CLAIMS, TEST_SECRET, { iss: "https://id.example", aud: "events" });
    expect((await auth.authenticate(bearer(token))).source).toBe("bearer");
  });

  test("refuses a wrong or missing iss, and a wrong or missing aud", async () => {
    await expectInvalid(auth, await signToken(CLAIMS, TEST_SECRET, { iss: "https://evil.example", aud: "events" }), "wrong issuer");
    await expectInvalid(auth, await signToken(CLAIMS, TEST_SECRET, { aud: "events" }), "wrong issuer");
    await expectInvalid(auth, await signToken(CLAIMS, TEST_SECRET, { iss: "https://id.example", aud: "billing" }), "wrong audience");
    await expectInvalid(auth, await signToken(CLAIMS, TEST_SECRET, { iss: "https://id.example" }), "wrong audience");
  });
});

describe("createAuthenticator with a public key", () => {
  for (const alg of ["RS256", "PS256", "ES256", "ES384", "EdDSA"]) {
    test(`verifies ${alg} tokens signed with the matching private key`, async () => {
      const { privateKey, pem } = await keyPairWithPem(alg);
      const auth = createAuthenticator({ jwtPublicKey: pem });
      const grant = await auth.authenticate(bearer(await signToken(CLAIMS, privateKey, { alg })));
      expect(grant.subscribe).toEqual(["orders/42", "users/7/*"]);
      const other = await keyPairWithPem(alg);
      await expectInvalid(auth, await signToken(CLAIMS, other.privateKey, { alg }), "bad signature");
    });
  }

  test("refuses an HS256 token signed with the public key's PEM as the HMAC secret", async () => {
    const { pem } = await keyPairWithPem("RS256");
    const auth = createAuthenticator({ jwtPublicKey: pem });
    const confused = await new SignJWT({ ...CLAIMS }).setProtectedHeader({ alg: "HS256" }).setExpirationTime("1h").sign(new TextEncoder().encode(pem));
    await expectInvalid(auth, confused, "unsupported algorithm");
  });

  test("refuses another kind's algorithm: ES256 against an RSA key, EdDSA against P-256", async () => {
    const rsa = await keyPairWithPem("RS256");
    const ec = await keyPairWithPem("ES256");
    const ed = await keyPairWithPem("EdDSA");
    await expectInvalid(createAuthenticator({ jwtPublicKey: rsa.pem }), await signToken(CLAIMS, ec.privateKey, { alg: "ES256" }), "unsupported algorithm");
    await expectInvalid(createAuthenticator({ jwtPublicKey: ec.pem }), await signToken(CLAIMS, ed.privateKey, { alg: "EdDSA" }), "unsupported algorithm");
  });

  test("refuses an RS256 token against an HMAC secret", async () => {
    const { privateKey } = await keyPairWithPem("RS256");
    await expectInvalid(createAuthenticator({ jwtSecret: TEST_SECRET }), await signToken(CLAIMS, privateKey, { alg: "RS256" }), "unsupported algorithm");
  });
});
