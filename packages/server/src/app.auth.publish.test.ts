// POST /events/publish and /events/trigger with auth on, through `app.handle`: credentials
// checked before the body is read, topics after they are resolved, the trigger token as one
// more credential, the CSRF rule of the cookie, and CORS credentials.
import { describe, expect, test } from "vitest";
import { bearer, signTestToken, TEST_JWT_SECRET } from "../test/support/auth-token.ts";
import { createTestApp, errorOf, postTrigger, request } from "../test/support/handle.ts";

const AUTH = { jwtSecret: TEST_JWT_SECRET };

function postPublish(app: { handle(request: Request): Promise<Response> }, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return request(app, "/events/publish", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("POST /events/publish with auth on", () => {
  test("answers 401 without credentials before reading the body", async () => {
    const { app, broker } = await createTestApp(AUTH);
    const refused = await errorOf(await postPublish(app, "{not json"));
    expect(refused).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="events"');
    expect(broker.inputs).toEqual([]);
  });

  test("answers 401 INVALID_TOKEN for an expired token before reading the body", async () => {
    const { app } = await createTestApp(AUTH);
    const expired = await signTestToken({ publish: ["*"], expiresInSeconds: -60 });
    const refused = await errorOf(await postPublish(app, "{not json", bearer(expired)));
    expect(refused).toMatchObject({ status: 401, code: "INVALID_TOKEN" });
    expect(refused.message).toContain("token expired");
  });

  test("publishes to a topic the token may publish to, and refuses another with 403 naming it", async () => {
    const { app, broker } = await createTestApp(AUTH);
    const token = await signTestToken({ publish: ["orders/*"] });
    expect((await postPublish(app, { topic: "orders/1", data: 1 }, bearer(token))).status).toBe(200);
    const refused = await errorOf(await postPublish(app, { topics: ["orders/2", "users/7"], data: 1 }, bearer(token)));
    expect(refused).toMatchObject({ status: 403, code: "FORBIDDEN_TOPIC" });
    expect(refused.message).toContain('"users/7"');
    expect(broker.inputs.map((input) => input.topics)).toEqual([["orders/1"]]);
  });

  test("answers 400 for a bad topic before the permission check", async () => {
    const { app } = await createTestApp(AUTH);
    const token = await signTestToken({ publish: ["orders/*"] });
    expect(await errorOf(await postPublish(app, { topic: "orders/*", data: 1 }, bearer(token)))).toMatchObject({ status: 400, code: "INVALID_TOPIC" });
  });
});

describe("POST /events/trigger with auth on", () => {
  test("takes the trigger token as a credential that publishes anywhere", async () => {
    const { app } = await createTestApp({ ...AUTH, triggerToken: "trigger-s3cret" });
    expect((await postTrigger(app, { message: "hi" }, bearer("trigger-s3cret"))).status).toBe(200);
    expect((await postTrigger(app, { message: "hi", topic: "users/7" }, bearer("trigger-s3cret"))).status).toBe(200);
    expect((await errorOf(await postTrigger(app, { message: "hi" }))).status).toBe(401);
  });

  test("refuses a token that may not publish to the default topic with 403", async () => {
    const { app } = await createTestApp(AUTH);
    const token = await signTestToken({ publish: ["orders/*"] });
    const refused = await errorOf(await postTrigger(app, { message: "hi" }, bearer(token)));
    expect(refused).toMatchObject({ status: 403, code: "FORBIDDEN_TOPIC" });
    expect(refused.message).toContain('"events"');
    const allowed = await signTestToken({ publish: ["events"] });
    expect((await postTrigger(app, { message: "hi" }, bearer(allowed))).status).toBe(200);
  });

  test("keeps the trigger token alone exactly as without auth", async () => {
    const { app } = await createTestApp({ triggerToken: "trigger-s3cret" });
    const refused = await errorOf(await postTrigger(app, { message: "hi" }, bearer("wrong")));
    expect(refused).toMatchObject({ status: 401, code: "UNAUTHORIZED", message: "wrong trigger token" });
    expect((await postTrigger(app, { message: "hi" }, bearer("trigger-s3cret"))).status).toBe(200);
    expect((await request(app, "/events/stream", { method: "HEAD" })).status).toBe(200);
  });
});

describe("the CSRF rule of the auth cookie", () => {
  const cookieOf = async () => ({ cookie: `events_token=${await signTestToken({ publish: ["orders/*"] })}` });

  test("refuses a cookie-authenticated publish from a foreign origin with 403 CSRF_REJECTED, body unread", async () => {
    const { app, broker } = await createTestApp({ ...AUTH, corsOrigins: ["https://app.example"] });
    const refused = await errorOf(await postPublish(app, "{not json", { ...(await cookieOf()), origin: "https://evil.example" }));
    expect(refused).toMatchObject({ status: 403, code: "CSRF_REJECTED" });
    expect((await errorOf(await postPublish(app, { topic: "orders/1", data: 1 }, await cookieOf()))).code).toBe("CSRF_REJECTED");
    expect(broker.inputs).toEqual([]);
  });

  test("accepts the server's own origin and an allow-listed one", async () => {
    const { app } = await createTestApp({ ...AUTH, corsOrigins: ["https://app.example"] });
    for (const origin of ["http://localhost", "https://app.example"]) {
      expect((await postPublish(app, { topic: "orders/1", data: 1 }, { ...(await cookieOf()), origin })).status).toBe(200);
    }
  });

  test("asks no Origin of a Bearer token", async () => {
    const { app } = await createTestApp(AUTH);
    const token = await signTestToken({ publish: ["orders/*"] });
    expect((await postPublish(app, { topic: "orders/1", data: 1 }, { ...bearer(token), origin: "https://elsewhere.example" })).status).toBe(200);
  });
});

describe("CORS with auth on", () => {
  test("answers a listed origin with credentials, and a disallowed one with no CORS header", async () => {
    const { app } = await createTestApp({ ...AUTH, publicTopics: ["news/*"], corsOrigins: ["https://app.example"] });
    const preflight = (origin: string) =>
      request(app, "/events/stream", { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET" } });
    const listed = await preflight("https://app.example");
    expect(listed.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(listed.headers.get("access-control-allow-credentials")).toBe("true");
    const other = await preflight("https://evil.example");
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expect(other.headers.get("access-control-allow-credentials")).toBeNull();
  });

  test("sends no credentials without auth, nor through *", async () => {
    const open = await createTestApp({ corsOrigins: ["https://app.example"] });
    const answer = await request(open.app, "/healthz", { headers: { origin: "https://app.example" } });
    expect(answer.headers.get("access-control-allow-credentials")).toBeNull();
    const any = await createTestApp({ ...AUTH, corsOrigins: ["*"] });
    const anyAnswer = await request(any.app, "/healthz", { headers: { origin: "https://app.example" } });
    expect(anyAnswer.headers.get("access-control-allow-origin")).toBe("*");
    expect(anyAnswer.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

describe("the OpenAPI document with auth on", () => {
  test("declares the bearer and cookie schemes and documents 401 and 403", async () => {
    const { app } = await createTestApp({ ...AUTH, authCookie: "sid" });
    const document = (await (await request(app, "/openapi.json")).json()) as {
      components?: { securitySchemes?: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown; responses?: Record<string, unknown> }>>;
    };
    expect(document.components?.securitySchemes).toEqual({
      bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
      cookie: { type: "apiKey", in: "cookie", name: "sid" },
    });
    const stream = document.paths["/events/stream"]?.["get"];
    expect(stream?.security).toEqual([{ bearer: [] }, { cookie: [] }, {}]);
    expect(Object.keys(stream?.responses ?? {})).toEqual(expect.arrayContaining(["401", "403"]));
    expect(Object.keys(document.paths["/events/publish"]?.["post"]?.responses ?? {})).toEqual(expect.arrayContaining(["401", "403"]));
  });

  test("names no security scheme without auth", async () => {
    const { app } = await createTestApp();
    const document = (await (await request(app, "/openapi.json")).json()) as { components?: { securitySchemes?: unknown }; paths: Record<string, Record<string, { security?: unknown }>> };
    expect(document.components?.securitySchemes).toBeUndefined();
    expect(document.paths["/events/stream"]?.["get"]?.security).toBeUndefined();
  });
});
