import { EventsClientError } from "@events/client-sdk";
import { describe, expect, test } from "vitest";
import { describeFailure, TimeoutError } from "./failure.ts";

const URL_ = "http://127.0.0.1:1";

function networkError(code: string): Error {
  return Object.assign(new TypeError(`${code}: Unable to connect`), { code });
}

function httpError(status: number, body: unknown): EventsClientError {
  return new EventsClientError("HTTP_ERROR", `HTTP ${status}`, { status, body });
}

describe("describeFailure", () => {
  test("says connection refused with the URL", () => {
    const error = new Error("events trigger failed", { cause: networkError("ECONNREFUSED") });
    expect(describeFailure(error, "events trigger", URL_)).toBe("events trigger failed: connection refused to http://127.0.0.1:1");
  });

  test("names a host that does not resolve", () => {
    expect(describeFailure(networkError("ENOTFOUND"), "events stream", "http://nowhere.invalid:8080")).toBe(
      "events stream failed: host not found: nowhere.invalid",
    );
  });

  test("gives the server's code and message for an HTTP error", () => {
    const error = httpError(400, { error: { code: "VALIDATION_FAILED", message: "message must not be empty" } });
    expect(describeFailure(error, "events trigger", URL_)).toBe("events trigger failed: HTTP 400 VALIDATION_FAILED: message must not be empty");
  });

  test("hints at the token on 401", () => {
    const error = httpError(401, { error: { code: "UNAUTHORIZED", message: "bearer token required" } });
    expect(describeFailure(error, "events trigger", URL_)).toContain("(set --token or EVENTS_TOKEN)");
  });

  test("shows the first line of a text body", () => {
    const error = httpError(502, "Bad Gateway\n<html>");
    expect(describeFailure(error, "events trigger", URL_)).toBe("events trigger failed: HTTP 502 Bad Gateway");
  });

  test("shows control characters in the server's answer escaped", () => {
    const error = httpError(400, { error: { code: "X\u001b[2J", message: "bad\u009b31m" } });
    expect(describeFailure(error, "events trigger", URL_)).toBe("events trigger failed: HTTP 400 X\\u001b[2J: bad\\u009b31m");
    const text = httpError(502, "\u001b]0;owned\u0007");
    expect(describeFailure(text, "events trigger", URL_)).toBe("events trigger failed: HTTP 502 \\u001b]0;owned\\u0007");
  });

  test("reads the network reason under a NETWORK_ERROR", () => {
    const error = new EventsClientError("NETWORK_ERROR", "GET … could not reach the server", { cause: networkError("ECONNREFUSED") });
    expect(describeFailure(error, "events stream", URL_)).toBe("events stream failed: connection refused to http://127.0.0.1:1");
  });

  test("gives the SDK's message, not a status, for an error other than HTTP_ERROR", () => {
    const error = new EventsClientError("UNEXPECTED_CONTENT_TYPE", 'the stream answered with content type "text/html"; expected text/event-stream', {
      status: 200,
      body: "<h1>login</h1>",
    });
    expect(describeFailure(error, "events stream", URL_)).toBe(
      'events stream failed: the stream answered with content type "text/html"; expected text/event-stream',
    );
  });

  test("reports a timeout anywhere in the cause chain", () => {
    const error = new Error("wrapped", { cause: new TimeoutError(URL_, 500) });
    expect(describeFailure(error, "events trigger", URL_)).toBe("events trigger failed: no answer from http://127.0.0.1:1 within 500ms");
  });

  test("falls back to the first line of the deepest cause", () => {
    expect(describeFailure(new Error("outer", { cause: new Error("inner\nmore") }), "events stream", URL_)).toBe("events stream failed: inner");
  });
});
