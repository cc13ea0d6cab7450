import { describe, expect, test } from "vitest";
import { classifyResponse, lastEventIdHeader, MAX_REDIRECTS } from "./connection.ts";
import { messages, reconnectDelays, runStream } from "./test-support/run-stream.ts";
import { answer, frame, opaqueRedirect, sse } from "./test-support/scripted-fetch.ts";

const URL_ = "http://events.test/events/stream";
const message = (id: string, text: string): string => frame(id, undefined, { message: text });
const classify = (status: number, headers: Record<string, string> = {}, body: string | null = null): ReturnType<typeof classifyResponse> =>
  classifyResponse(new Response(status === 204 ? null : body, { status, headers }), URL_, 0);

describe("classifyResponse", () => {
  test("opens a 200 text/event-stream with a body", () => {
    expect(classify(200, { "content-type": "text/event-stream" }, "")).toEqual({ kind: "open" });
  });

  test("retries a 200 event stream without a body as a lost connection", () => {
    expect(classify(200, { "content-type": "text/event-stream" })).toMatchObject({ kind: "retry", reason: "connection-lost" });
  });

  test("refuses a 200 of another content type", () => {
    expect(classify(200, { "content-type": "text/html" }, "<h1>")).toEqual({ kind: "not-event-stream", contentType: "text/html" });
  });

  test("stops on 204", () => {
    expect(classify(204)).toEqual({ kind: "no-content" });
  });

  test("retries 408, 429 and 5xx with their Retry-After", () => {
    expect(classify(503, { "retry-after": "7" })).toEqual({ kind: "retry", reason: "http-status", status: 503, retryAfterMs: 7000 });
    for (const status of [408, 429, 500, 599]) expect(classify(status)).toMatchObject({ kind: "retry", status });
  });

  test("resolves a redirect's Location against the request URL", () => {
    for (const status of [301, 302, 303, 307, 308]) {
      expect(classify(status, { location: "../moved?x=1" })).toEqual({ kind: "redirect", location: "http://events.test/moved?x=1" });
    }
  });

  test("calls a redirect without an http(s) Location a bad redirect", () => {
    expect(classify(302)).toEqual({ kind: "bad-redirect", location: null });
    expect(classify(302, { location: "javascript:alert(1)" })).toEqual({ kind: "bad-redirect", location: "javascript:alert(1)" });
    expect(classify(307, { location: "http://[::1" })).toMatchObject({ kind: "bad-redirect" });
  });

  test("refuses other statuses", () => {
    for (const status of [300, 304, 400, 401, 404, 410]) expect(classify(status)).toEqual({ kind: "refused" });
  });
});

describe("lastEventIdHeader", () => {
  test("keeps an ASCII id as it is", () => {
    expect(lastEventIdHeader("mi1x8k2p-42")).toBe("mi1x8k2p-42");
  });

  test("turns an id outside Latin-1 into its UTF-8 bytes, one code unit each", () => {
    const value = lastEventIdHeader("é☃😀-1");
    expect(Array.from(value, (unit) => unit.charCodeAt(0))).toEqual([...new TextEncoder().encode("é☃😀-1")]);
    expect(new Headers({ "last-event-id": value }).get("last-event-id")).toBe(value);
  });
});

describe("stream: redirects", () => {
  test("follows a relative redirect itself and sends Last-Event-ID along", async () => {
    const run = await runStream([answer(307, { location: "/moved/stream?x=1" }), sse([message("e-2", "a")])], {
      stream: { lastEventId: "e-1" },
    });
    expect(messages(run.events)).toEqual(["a"]);
    expect(run.requests.slice(0, 2).map((request) => [request.url, request.redirect, request.headers.get("last-event-id")])).toEqual([
      [URL_, "manual", "e-1"],
      ["http://events.test/moved/stream?x=1", "manual", "e-1"],
    ]);
  });

  test("counts a redirect loop as a failed attempt after 5 redirects, 6 requests", async () => {
    const loop = Array.from({ length: 2 * (MAX_REDIRECTS + 1) }, (_, hop) => answer(302, { location: `/hop-${hop}` }));
    const run = await runStream(loop, { client: { random: () => 0 } });
    expect(MAX_REDIRECTS).toBe(5);
    // Two attempts of 6 requests each, then the script's 204.
    expect(run.requests).toHaveLength(13);
    expect(run.requests[6]?.url).toBe(URL_);
    const reconnecting = run.statuses.filter((status) => status.state === "reconnecting");
    expect(reconnecting.map((status) => status.reason)).toEqual(["too-many-redirects", "too-many-redirects"]);
    expect(reconnecting[0]?.error).toMatchObject({ code: "TOO_MANY_REDIRECTS" });
    expect(reconnectDelays(run.statuses)).toEqual([200, 400]);
  });

  test("sends Authorization only within the origin", async () => {
    const run = await runStream(
      [answer(302, { location: "/same" }), answer(302, { location: "https://elsewhere.test/stream" }), sse([message("e-1", "a")])],
      { client: { token: "s3cret" } },
    );
    expect(run.requests.slice(0, 3).map((request) => request.headers.get("authorization"))).toEqual(["Bearer s3cret", "Bearer s3cret", null]);
  });

  test("lets a browser follow redirects itself once it answers manual with an opaque redirect", async () => {
    const run = await runStream([opaqueRedirect(), sse([message("e-1", "a")]), sse([message("e-2", "b")])]);
    expect(messages(run.events)).toEqual(["a", "b"]);
    expect(run.requests.map((request) => request.redirect)).toEqual(["manual", "follow", "follow", "follow"]);
  });

  test("fails with HTTP_ERROR on a redirect without a Location", async () => {
    const run = await runStream([answer(302)]);
    expect(run.error).toMatchObject({ code: "HTTP_ERROR", status: 302 });
    expect(run.requests).toHaveLength(1);
  });
});
