import { describe, expect, test } from "vitest";
import { exportJWK, type JWK } from "jose";
import { keyPairWithPem, refusalOf, signToken, streamRequest } from "../test-support/auth-tokens.ts";
import { createAuthenticator } from "./authenticator.ts";

const CLAIMS = { events: { subscribe: ["orders/42"] } };

interface ServedJwks {
  readonly state: { keys: JWK[]; fetches: number; status: number };
  readonly url: string;
}

/** Runs `body` with a JWKS served on a real socket; it changes `keys` (rotation) and reads `fetches`. */
async function withJwks(body: (jwks: ServedJwks) => Promise<void>): Promise<void> {
  const state = { keys: [] as JWK[], fetches: 0, status: 200 };
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: () => {
      state.fetches++;
      return Response.json({ keys: state.keys }, { status: state.status });
    },
  });
  try {
    await body({ state, url: `http://127.0.0.1:${server.port}/.well-known/jwks.json` });
  } finally {
    await server.stop(true);
  }
}

async function signingKey(alg: string, kid: string) {
  const { privateKey, publicKey } = await keyPairWithPem(alg);
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { privateKey, jwk, sign: (claims = CLAIMS) => signToken(claims, privateKey, { alg, kid }) };
}

function bearer(token: string): Request {
  return streamRequest({ authorization: `Bearer ${token}` });
}

describe("createAuthenticator with a JWKS URL", () => {
  test("fetches the key set once and verifies tokens of each key in it", () =>
    withJwks(async (jwks) => {
      const es = await signingKey("ES256", "es-1");
      const rs = await signingKey("RS256", "rs-1");
      jwks.state.keys = [es.jwk, rs.jwk];
      jwks.state.fetches = 0;
      const auth = createAuthenticator({ jwksUrl: jwks.url });
      expect((await auth.authenticate(bearer(await es.sign()))).subscribe).toEqual(["orders/42"]);
      expect((await auth.authenticate(bearer(await rs.sign()))).subscribe).toEqual(["orders/42"]);
      expect(jwks.state.fetches).toBe(1);
    }));

  test("refuses an unknown kid without refetching during the cooldown", () =>
    withJwks(async (jwks) => {
      const known = await signingKey("ES256", "known");
      const stranger = await signingKey("ES256", "stranger");
      jwks.state.keys = [known.jwk];
      jwks.state.fetches = 0;
      const auth = createAuthenticator({ jwksUrl: jwks.url });
      await auth.authenticate(bearer(await known.sign()));
      const refusal = await refusalOf(async () => auth.authenticate(bearer(await stranger.sign())));
      expect({ status: refusal.status, code: refusal.code, challenge: refusal.challenge }).toEqual({
        status: 401,
        code: "INVALID_TOKEN",
        challenge: 'Bearer realm="events", error="invalid_token", error_description="unknown key id"',
      });
      expect(jwks.state.fetches).toBe(1);
    }));

  test("fetches the set again when a rotated key's kid appears, once past the cooldown", () =>
    withJwks(async (jwks) => {
      const old = await signingKey("EdDSA", "2026-01");
      const rotated = await signingKey("EdDSA", "2026-02");
      jwks.state.keys = [old.jwk];
      jwks.state.fetches = 0;
      const auth = createAuthenticator({ jwksUrl: jwks.url, jwksCooldownMs: 0 });
      await auth.authenticate(bearer(await old.sign()));
      jwks.state.keys = [old.jwk, rotated.jwk];
      expect((await auth.authenticate(bearer(await rotated.sign()))).source).toBe("bearer");
      expect(jwks.state.fetches).toBe(2);
      await auth.authenticate(bearer(await rotated.sign()));
      await auth.authenticate(bearer(await old.sign()));
      expect(jwks.state.fetches).toBe(2);
    }));

  test("refuses an HS256 token whatever the set holds", () =>
    withJwks(async (jwks) => {
      const es = await signingKey("ES256", "es-1");
      jwks.state.keys = [es.jwk, { kty: "oct", k: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA", kid: "hmac" }];
      const auth = createAuthenticator({ jwksUrl: jwks.url });
      const token = await signToken(CLAIMS, "secret-secret-secret-secret-secret", { kid: "hmac" });
      expect((await refusalOf(() => auth.authenticate(bearer(token)))).challenge).toContain('error_description="unsupported algorithm"');
    }));

  test("answers 503 AUTH_UNAVAILABLE with Retry-After when the set cannot be fetched", () =>
    withJwks(async (jwks) => {
      const es = await signingKey("ES256", "es-1");
      jwks.state.status = 500;
      try {
        const refusal = await refusalOf(async () => createAuthenticator({ jwksUrl: jwks.url }).authenticate(bearer(await es.sign())));
        expect({ status: refusal.status, code: refusal.code, retryAfter: refusal.headers["retry-after"] }).toEqual({
          status: 503,
          code: "AUTH_UNAVAILABLE",
          retryAfter: "5",
        });
      } finally {
        jwks.state.status = 200;
      }
    }));

  test("loads the set through the fetch option when one is given", async () => {
    const es = await signingKey("ES256", "injected");
    const urls: string[] = [];
    const fetch = (async (url: string | URL | Request) => {
      urls.push(String(url));
      return Response.json({ keys: [es.jwk] });
    }) as typeof globalThis.fetch;
    const auth = createAuthenticator({ jwksUrl: "https://id.example/jwks.json", fetch });
    expect((await auth.authenticate(bearer(await es.sign()))).source).toBe("bearer");
    expect(urls).toEqual(["https://id.example/jwks.json"]);
  });
});
