import { describe, expect, test } from "vitest";
import { EventsClientError, httpError, serverErrorMessage } from "./errors.ts";

describe("EventsClientError", () => {
  test("carries code, status, body and cause", () => {
    const cause = new TypeError("boom");
    const error = new EventsClientError("HTTP_ERROR", "failed", { status: 400, body: { a: 1 }, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("EventsClientError");
    expect(error.code).toBe("HTTP_ERROR");
    expect(error.status).toBe(400);
    expect(error.body).toEqual({ a: 1 });
    expect(error.cause).toBe(cause);
  });

  test("reads the server's JSON error into body and message", async () => {
    const body = { error: { code: "VALIDATION_FAILED", message: "message must not be empty" } };
    const response = new Response(JSON.stringify(body), { status: 400, headers: { "content-type": "application/json" } });
    const error = await httpError(response, "POST /events/trigger");
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 400, body });
    expect(error.message).toBe("POST /events/trigger failed with HTTP 400 (VALIDATION_FAILED: message must not be empty)");
  });

  test("keeps a text body, truncated", async () => {
    const error = await httpError(new Response("x".repeat(10_000), { status: 502 }), "GET /");
    expect(typeof error.body).toBe("string");
    expect((error.body as string).length).toBe(4096);
    expect(error.message.length).toBeLessThan(120);
  });

  test("finds no server message in other shapes", () => {
    expect(serverErrorMessage("nope")).toBeUndefined();
    expect(serverErrorMessage({ error: "x" })).toBeUndefined();
    expect(serverErrorMessage({ error: { code: "C" } })).toBe("C");
  });
});
