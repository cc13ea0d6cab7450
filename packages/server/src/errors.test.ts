import { SseError } from "@events/sse-core";
import { describe, expect, test } from "vitest";
import { errorResponse, HTTP_STATUS_BY_CODE, HttpError, toHttpError } from "./errors.ts";

describe("HttpError", () => {
  test("takes its status from the one table", () => {
    for (const [code, status] of Object.entries(HTTP_STATUS_BY_CODE)) {
      expect(new HttpError(code as keyof typeof HTTP_STATUS_BY_CODE, "x").status).toBe(status);
    }
    expect(HTTP_STATUS_BY_CODE).toMatchObject({ INVALID_JSON: 400, UNAUTHORIZED: 401, PAYLOAD_TOO_LARGE: 413, UNSUPPORTED_MEDIA_TYPE: 415, VALIDATION_FAILED: 422 });
  });

  test("becomes a JSON answer with its extra headers and no stack", async () => {
    const response = errorResponse(new HttpError("TOO_MANY_CLIENTS", "full", { headers: { "retry-after": "3" } }));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("3");
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await response.json()).toEqual({ error: { code: "TOO_MANY_CLIENTS", message: "full" } });
  });
});

describe("toHttpError", () => {
  test("unwraps an HttpError Elysia wrapped as the cause of a parse error", () => {
    const inner = new HttpError("PAYLOAD_TOO_LARGE", "big");
    expect(toHttpError(new Error("Bad Request", { cause: inner }), "PARSE")).toBe(inner);
  });

  test("maps a broker that cannot store to 503 BROKER_UNAVAILABLE", () => {
    const error = toHttpError(new SseError("BROKER_UNAVAILABLE", "redis down"), "UNKNOWN");
    expect(error.code).toBe("BROKER_UNAVAILABLE");
    expect(error.status).toBe(503);
  });

  test("maps a publish the broker could not confirm to 503 PUBLISH_UNCONFIRMED with Retry-After", () => {
    const error = toHttpError(new SseError("PUBLISH_UNCONFIRMED", "redis: Command timed out"), "UNKNOWN");
    expect(error.code).toBe("PUBLISH_UNCONFIRMED");
    expect(error.status).toBe(503);
    expect(error.headers).toEqual({ "retry-after": "1" });
  });

  test("hides the message of an unexpected error", () => {
    const error = toHttpError(new TypeError("secret internals at /srv/app.ts:12"), "UNKNOWN");
    expect(error.code).toBe("INTERNAL");
    expect(error.message).toBe("internal server error");
  });

  test("maps Elysia's NOT_FOUND to a 404 naming the API description", () => {
    expect(toHttpError(new Error("NOT_FOUND"), "NOT_FOUND").message).toContain("/openapi.json");
  });
});
