import { Elysia } from "elysia";
import { describe, expect, test } from "vitest";
import { createCorsPlugin } from "./cors.ts";

function app(origins: string[] | false, credentials = false) {
  return new Elysia().use(createCorsPlugin({ origins, credentials })).get("/x", () => "x");
}

function from(origin: string, init: RequestInit = {}): Request {
  return new Request("http://localhost/x", { ...init, headers: { origin, ...(init.headers as Record<string, string> | undefined) } });
}

describe("createCorsPlugin", () => {
  test("never reflects an origin that is not listed", async () => {
    const response = await app(["https://a.example"]).handle(new Request("http://localhost/x", { headers: { origin: "https://b.example" } }));
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("vary")).toBe("Origin");
  });

  test("allows any origin with * and no credentials", async () => {
    const response = await app(["*"]).handle(new Request("http://localhost/x", { headers: { origin: "https://b.example" } }));
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  test("lets a browser send Idempotency-Key and Last-Event-ID across origins", async () => {
    const preflight = new Request("http://localhost/x", {
      method: "OPTIONS",
      headers: { origin: "https://a.example", "access-control-request-method": "POST", "access-control-request-headers": "idempotency-key" },
    });
    const response = await app(["https://a.example"]).handle(preflight);
    expect(response.status).toBe(204);
    const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/,\s*/);
    expect(allowed).toContain("idempotency-key");
    expect(allowed).toContain("last-event-id");
  });

  test("allows credentials to a listed origin, on the answer and the preflight", async () => {
    const cors = app(["https://a.example"], true);
    const answer = await cors.handle(from("https://a.example"));
    expect(answer.headers.get("access-control-allow-origin")).toBe("https://a.example");
    expect(answer.headers.get("access-control-allow-credentials")).toBe("true");
    const preflight = await cors.handle(from("https://a.example", { method: "OPTIONS", headers: { "access-control-request-method": "POST" } }));
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
  });

  test("gives a disallowed origin no CORS header at all, with credentials on", async () => {
    const cors = app(["https://a.example"], true);
    for (const request of [from("https://b.example"), from("https://b.example", { method: "OPTIONS", headers: { "access-control-request-method": "GET" } })]) {
      const response = await cors.handle(request);
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  test("never sends credentials through *: a named origin gets them, everyone else *", async () => {
    const onlyAny = await app(["*"], true).handle(from("https://b.example"));
    expect(onlyAny.headers.get("access-control-allow-origin")).toBe("*");
    expect(onlyAny.headers.get("access-control-allow-credentials")).toBeNull();
    const mixed = app(["*", "https://a.example"], true);
    const named = await mixed.handle(from("https://a.example"));
    expect(named.headers.get("access-control-allow-origin")).toBe("https://a.example");
    expect(named.headers.get("access-control-allow-credentials")).toBe("true");
    expect(named.headers.get("vary")).toBe("Origin");
    const other = await mixed.handle(from("https://b.example"));
    expect(other.headers.get("access-control-allow-origin")).toBe("*");
    expect(other.headers.get("access-control-allow-credentials")).toBeNull();
  });

  test("sends no CORS headers when off", async () => {
    const response = await app(false).handle(new Request("http://localhost/x", { headers: { origin: "https://b.example" } }));
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
