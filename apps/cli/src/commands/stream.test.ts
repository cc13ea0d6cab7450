import { describe, expect, test } from "vitest";
import { runCli } from "../cli.ts";
import { fakeIo } from "../test-support/fake-io.ts";

const events = (frames: string): Response => new Response(frames, { headers: { "content-type": "text/event-stream" } });
const refusal = (status: number, code: string, message: string): Response =>
  Response.json({ error: { code, message } }, { status, headers: { "www-authenticate": 'Bearer error="invalid_token"' } });

describe("events stream: tokens", () => {
  test("sends --token as a Bearer header on every stream request", async () => {
    const io = fakeIo(() => events('id: 1\ndata: {"message":"hi"}\n\n'));
    expect(await runCli(["--token", "jwt-1", "stream", "--count", "1", "--json"], io)).toBe(0);
    expect(io.requests[0]?.headers.get("authorization")).toBe("Bearer jwt-1");
  });

  test("exits 1 on 403, printing the server's code and message", async () => {
    const io = fakeIo(() => refusal(403, "FORBIDDEN_TOPIC", "the token does not cover topic users/8"));
    expect(await runCli(["--token", "jwt-1", "stream", "--topic", "users/8"], io)).toBe(1);
    expect(io.err.join("")).toBe("events-cli: events stream failed: HTTP 403 FORBIDDEN_TOPIC: the token does not cover topic users/8 (set --token or EVENTS_TOKEN)\n");
    expect(io.requests).toHaveLength(1);
  });

  test("says the token expired, then exits 1 with the server's 401 when the same token is refused", async () => {
    const answers = [
      events('id: 1\ndata: {"message":"a"}\n\nevent: auth-expired\ndata: {"message":"token expired; reconnect with a fresh token","expiredAt":"2026-01-01T11:00:00.000Z"}\n\n'),
      refusal(401, "INVALID_TOKEN", "token expired"),
    ];
    const io = fakeIo(() => answers.shift() ?? refusal(500, "X", "unexpected"), { EVENTS_TOKEN: "jwt-1" });
    expect(await runCli(["stream", "--json"], io)).toBe(1);
    expect(io.out.join("")).not.toContain("auth-expired");
    expect(io.err.join("")).toBe(
      "events-cli: connection lost (the token expired); resuming after id 1 in 0ms\n" +
        "events-cli: events stream failed: HTTP 401 INVALID_TOKEN: token expired (set --token or EVENTS_TOKEN)\n",
    );
    expect(io.requests.map((request) => request.headers.get("last-event-id"))).toEqual([null, "1"]);
  });
});
