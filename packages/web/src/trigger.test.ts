import { describe, expect, test } from "vitest";
import { sendMessage } from "./trigger.ts";

const URL_ = "http://127.0.0.1/events/trigger";

function answering(status: number, body: string, seen: Request[] = []): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    seen.push(new Request(input, init));
    return new Response(body, { status, headers: { "Content-Type": "application/json" } });
  }) as typeof fetch;
}

describe("sendMessage", () => {
  test("posts the message as JSON and returns the event id", async () => {
    const seen: Request[] = [];
    const result = await sendMessage(URL_, 'a "quoted"\nline', {
      fetch: answering(200, '{"status":"Event broadcast to 2 clients","id":"1-9","clients":2}', seen),
    });
    expect(result).toEqual({ ok: true, id: "1-9", status: "Event broadcast to 2 clients" });
    expect(seen[0]?.method).toBe("POST");
    expect(seen[0]?.headers.get("content-type")).toBe("application/json");
    expect(seen[0]?.headers.get("authorization")).toBeNull();
    expect(await seen[0]?.json()).toEqual({ message: 'a "quoted"\nline' });
  });

  test("sends the topic beside the message when one is given", async () => {
    const seen: Request[] = [];
    await sendMessage(URL_, "hi", { topic: "rooms/7", fetch: answering(200, '{"status":"ok","id":"1"}', seen) });
    await sendMessage(URL_, "hi", { topic: undefined, fetch: answering(200, '{"status":"ok","id":"2"}', seen) });
    expect(await seen[0]?.json()).toEqual({ message: "hi", topic: "rooms/7" });
    expect(await seen[1]?.json()).toEqual({ message: "hi" });
  });

  test("sends the token as a bearer token only when one is given", async () => {
    const seen: Request[] = [];
    await sendMessage(URL_, "hi", { token: "t0k", fetch: answering(200, '{"status":"ok","id":"1"}', seen) });
    await sendMessage(URL_, "hi", { token: "", fetch: answering(200, '{"status":"ok","id":"2"}', seen) });
    expect(seen.map((request) => request.headers.get("authorization"))).toEqual(["Bearer t0k", null]);
  });

  test("returns the server's error code and reason on a 4xx", async () => {
    for (const [status, code] of [
      [401, "UNAUTHORIZED"],
      [413, "PAYLOAD_TOO_LARGE"],
      [422, "VALIDATION_FAILED"],
    ] as const) {
      const body = JSON.stringify({ error: { code, message: `reason for ${status}` } });
      expect(await sendMessage(URL_, "x", { fetch: answering(status, body) })).toEqual({
        ok: false,
        httpStatus: status,
        code,
        message: `reason for ${status}`,
      });
    }
  });

  test("falls back to the status when the error body is not the server's JSON", async () => {
    const result = await sendMessage(URL_, "x", { fetch: answering(502, "<html>Bad gateway</html>") });
    expect(result).toMatchObject({ ok: false, httpStatus: 502, code: "HTTP_502" });
  });

  test("reports a network failure instead of throwing", async () => {
    const failing = (async (): Promise<Response> => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof fetch;
    expect(await sendMessage(URL_, "x", { fetch: failing })).toEqual({
      ok: false,
      httpStatus: 0,
      code: "NETWORK_ERROR",
      message: "the server cannot be reached (Failed to fetch)",
    });
  });

  test("refuses a 200 answer without an event id", async () => {
    expect(await sendMessage(URL_, "x", { fetch: answering(200, "{}") })).toMatchObject({ ok: false, code: "BAD_RESPONSE" });
  });
});
