import { Elysia } from "elysia";
import { describe, expect, test } from "vitest";
import { createCorsPlugin } from "./cors.ts";

function app(origins: string[] | false) {
  return new Elysia().use(createCorsPlugin({ origins })).get("/x", () => "x");
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

  test("sends no CORS headers when off", async () => {
    const response = await app(false).handle(new Request("http://localhost/x", { headers: { origin: "https://b.example" } }));
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
