import { Elysia } from "elysia";
import { describe, expect, test } from "vitest";
import { errorResponse, toHttpError } from "../errors.ts";
import { createAuthPlugin } from "./auth.ts";

function app(token: string | false) {
  return new Elysia()
    .onError(({ error, code }) => errorResponse(toHttpError(error, code)))
    .use(createAuthPlugin({ token }))
    .get("/read", () => "read")
    .post("/write", () => "written");
}

async function call(server: ReturnType<typeof app>, method: string, path: string, authorization?: string): Promise<number> {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  return (await server.handle(new Request(`http://localhost${path}`, { method, headers }))).status;
}

describe("createAuthPlugin", () => {
  test("requires the bearer token on state-changing methods only", async () => {
    const server = app("t0ken");
    expect(await call(server, "GET", "/read")).toBe(200);
    expect(await call(server, "POST", "/write")).toBe(401);
    expect(await call(server, "POST", "/write", "Bearer nope")).toBe(401);
    expect(await call(server, "POST", "/write", "Bearer t0ke")).toBe(401);
    expect(await call(server, "POST", "/write", "Bearer t0ken")).toBe(200);
    expect(await call(server, "POST", "/write", "bearer t0ken")).toBe(200);
  });

  test("takes the scheme in any case and ignores trailing spaces, but never a token in the query", async () => {
    const server = app("t0ken");
    expect(await call(server, "POST", "/write", "BEARER t0ken")).toBe(200);
    expect(await call(server, "POST", "/write", "Bearer t0ken   ")).toBe(200);
    expect(await call(server, "POST", "/write?access_token=t0ken&token=t0ken")).toBe(401);
    expect(await call(server, "POST", "/write", "Bearer T0KEN")).toBe(401);
    expect(await call(server, "POST", "/write", "Bearer t0ken, Bearer t0ken")).toBe(401);
  });

  test("lets everything through without a token", async () => {
    expect(await call(app(false), "POST", "/write")).toBe(200);
  });

  test("keeps two apps' tokens apart", async () => {
    const one = app("one");
    const two = app("two");
    expect(await call(one, "POST", "/write", "Bearer one")).toBe(200);
    expect(await call(two, "POST", "/write", "Bearer one")).toBe(401);
  });
});
