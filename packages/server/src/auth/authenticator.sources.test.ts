import { describe, expect, test } from "vitest";
import { TEST_SECRET, refusalOf, signToken, streamRequest } from "../test-support/auth-tokens.ts";
import { createAuthenticator } from "./authenticator.ts";
import type { Permissions } from "./types.ts";

const CLAIMS = { events: { subscribe: ["orders/42"] } };
const TRIGGER = "trigger-s3cret";

describe("Authenticator.authenticate: where the token comes from", () => {
  const auth = createAuthenticator({ jwtSecret: TEST_SECRET, publicTopics: ["news/*"], triggerToken: TRIGGER });

  test("reads Authorization: Bearer", async () => {
    const token = await signToken(CLAIMS, TEST_SECRET);
    expect((await auth.authenticate(streamRequest({ authorization: `Bearer ${token}` }))).source).toBe("bearer");
  });

  test("reads the auth cookie among several, the first of its name winning", async () => {
    const token = await signToken(CLAIMS, TEST_SECRET);
    const cookie = `theme=dark; events_token=${token}; events_token=stale; other="x"`;
    const grant = await auth.authenticate(streamRequest({ cookie }));
    expect({ source: grant.source, subscribe: grant.subscribe }).toEqual({ source: "cookie", subscribe: ["orders/42", "news/*"] });
  });

  test("reads the cookie named by authCookie only", async () => {
    const token = await signToken(CLAIMS, TEST_SECRET);
    const custom = createAuthenticator({ jwtSecret: TEST_SECRET, authCookie: "sid" });
    expect((await custom.authenticate(streamRequest({ cookie: `events_token=${token}` }))).source).toBe("anonymous");
    expect((await custom.authenticate(streamRequest({ cookie: `sid=${token}` }))).source).toBe("cookie");
  });

  test("prefers the Bearer header over the cookie", async () => {
    const token = await signToken(CLAIMS, TEST_SECRET);
    const grant = await auth.authenticate(streamRequest({ authorization: `Bearer ${token}`, cookie: "events_token=garbage" }));
    expect(grant.source).toBe("bearer");
  });

  test("refuses a bad token in the cookie with 401 INVALID_TOKEN (no fallback to anonymous)", async () => {
    const refusal = await refusalOf(() => auth.authenticate(streamRequest({ cookie: "events_token=garbage" })));
    expect({ status: refusal.status, code: refusal.code }).toEqual({ status: 401, code: "INVALID_TOKEN" });
  });

  test("refuses ?access_token= while query tokens are off, saying how to turn them on", async () => {
    const token = await signToken(CLAIMS, TEST_SECRET);
    const refusal = await refusalOf(() => auth.authenticate(streamRequest({}, `?topic=orders/42&access_token=${token}`)));
    expect({ status: refusal.status, code: refusal.code, challenge: refusal.challenge }).toEqual({
      status: 401,
      code: "UNAUTHORIZED",
      challenge: 'Bearer realm="events"',
    });
    expect(refusal.message).toContain("--allow-query-token");
    expect(refusal.message).not.toContain(token);
  });

  test("reads ?access_token= when allowQueryToken is set, after the header and the cookie", async () => {
    const token = await signToken(CLAIMS, TEST_SECRET);
    const open = createAuthenticator({ jwtSecret: TEST_SECRET, allowQueryToken: true });
    expect((await open.authenticate(streamRequest({}, `?access_token=${token}`))).source).toBe("query");
    expect((await open.authenticate(streamRequest({ cookie: `events_token=${token}` }, "?access_token=garbage"))).source).toBe("cookie");
  });

  test("refuses an Authorization header that is not Bearer <token>", async () => {
    for (const authorization of ["Basic dTpw", "Bearer", "Bearer a b", "Token abc"]) {
      const refusal = await refusalOf(() => auth.authenticate(streamRequest({ authorization })));
      expect({ authorization, status: refusal.status, code: refusal.code, challenge: refusal.challenge }).toEqual({
        authorization,
        status: 401,
        code: "UNAUTHORIZED",
        challenge: 'Bearer realm="events"',
      });
    }
  });

  test("grants anonymous requests the public topics only", async () => {
    expect(await auth.authenticate(streamRequest())).toEqual({ subscribe: ["news/*"], publish: [], source: "anonymous" });
    expect((await auth.authenticate(streamRequest({ cookie: "events_token=" }))).source).toBe("anonymous");
  });
});

describe("Authenticator.authenticate: the trigger token", () => {
  test("grants publishing everywhere and the public topics to the trigger token as a Bearer", async () => {
    const auth = createAuthenticator({ jwtSecret: TEST_SECRET, publicTopics: ["news/*"], triggerToken: TRIGGER });
    expect(await auth.authenticate(streamRequest({ authorization: `Bearer ${TRIGGER}` }))).toEqual({
      subscribe: ["news/*"],
      publish: ["*"],
      source: "trigger-token",
    });
  });

  test("does not take the trigger token from the cookie", async () => {
    const auth = createAuthenticator({ jwtSecret: TEST_SECRET, triggerToken: TRIGGER });
    const refusal = await refusalOf(() => auth.authenticate(streamRequest({ cookie: `events_token=${TRIGGER}` })));
    expect(refusal.code).toBe("INVALID_TOKEN");
  });

  test("refuses a wrong trigger token when no JWT key is set, without echoing it", async () => {
    const auth = createAuthenticator({ triggerToken: TRIGGER });
    const refusal = await refusalOf(() => auth.authenticate(streamRequest({ authorization: "Bearer trigger-s3creT" })));
    expect({ status: refusal.status, code: refusal.code }).toEqual({ status: 401, code: "UNAUTHORIZED" });
    expect(refusal.message).toMatch(/^wrong trigger token/);
    expect(refusal.message).not.toContain("s3cre");
  });
});

describe("Authenticator.authenticate: the authorize hook", () => {
  const permissions: Permissions = { subscribe: ["orders/7"], publish: ["orders/7"], expiresAtMs: 1_900_000_000_000 };

  test("uses a synchronous answer and adds the public topics", async () => {
    const auth = createAuthenticator({ authorize: () => permissions, publicTopics: ["news/*"] });
    expect(await auth.authenticate(streamRequest())).toEqual({
      subscribe: ["orders/7", "news/*"],
      publish: ["orders/7"],
      expiresAtMs: 1_900_000_000_000,
      source: "authorize",
    });
  });

  test("uses an asynchronous answer, reading the request", async () => {
    const auth = createAuthenticator({
      authorize: async (request) => (request.headers.get("x-session") === "u7" ? { subscribe: ["users/7/*"], publish: [] } : undefined),
    });
    const grant = await auth.authenticate(streamRequest({ "x-session": "u7" }));
    expect({ source: grant.source, subscribe: grant.subscribe }).toEqual({ source: "authorize", subscribe: ["users/7/*"] });
  });

  test("wins over a token, and falls back to the token when it answers undefined", async () => {
    const token = await signToken(CLAIMS, TEST_SECRET);
    const request = () => streamRequest({ authorization: `Bearer ${token}` });
    const first = createAuthenticator({ jwtSecret: TEST_SECRET, authorize: () => permissions });
    expect((await first.authenticate(request())).source).toBe("authorize");
    const fallback = createAuthenticator({ jwtSecret: TEST_SECRET, authorize: async () => undefined });
    expect((await fallback.authenticate(request())).source).toBe("bearer");
    expect((await fallback.authenticate(streamRequest())).source).toBe("anonymous");
  });

  test("treats a bad pattern from the hook as the app's bug (not a 4xx)", async () => {
    const auth = createAuthenticator({ authorize: () => ({ subscribe: ["orders/*/x"], publish: [] }) });
    let caught: unknown;
    await auth.authenticate(streamRequest()).catch((error: unknown) => (caught = error));
    expect(caught).toBeInstanceOf(TypeError);
  });
});
