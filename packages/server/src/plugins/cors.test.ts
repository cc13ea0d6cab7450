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

  test("sends no CORS headers when off", async () => {
    const response = await app(false).handle(new Request("http://localhost/x", { headers: { origin: "https://b.example" } }));
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
