import { describe, expect, test } from "vitest";
import { createSseClient } from "./sse-client.ts";
import type { StreamStatus } from "./status.ts";
import { FakeClock } from "./test-support/fake-clock.ts";
import { messages, reconnectDelays, runStream } from "./test-support/run-stream.ts";
import { answer, frame, networkError, noAnswer, scriptedFetch, sse } from "./test-support/scripted-fetch.ts";

const message = (id: string, text: string): string => frame(id, undefined, { message: text });
const connected = (id: string): string => frame(id, "connected", { message: "hi", clients: 1, replayed: 0 });
const authExpired = 'event: auth-expired\ndata: {"message":"token expired; reconnect with a fresh token","expiredAt":"2026-01-01T00:00:00.000Z"}\n\n';
const json = (status: number, code: string): ReturnType<typeof answer> =>
  answer(status, { "content-type": "application/json", "www-authenticate": 'Bearer error="invalid_token"' }, JSON.stringify({ error: { code, message: `${code} here` } }));

/** A token function handing out t1, t2, ... and counting its calls. */
function tokens(): { calls: number; next: () => string } {
  const state = { calls: 0, next: (): string => `t${++state.calls}` };
  return state;
}

function authorizations(run: { requests: readonly { headers: Headers }[] }): (string | null)[] {
  return run.requests.map((request) => request.headers.get("authorization"));
}

describe("stream: token function", () => {
  test("calls the token function before every connection attempt and sends its value as Bearer", async () => {
    const source = tokens();
    const run = await runStream([sse([message("e-1", "a")]), networkError(), sse([message("e-2", "b")])], { client: { token: source.next } });
    expect(messages(run.events)).toEqual(["a", "b"]);
    // The fourth request is the 204 that ends the script.
    expect(authorizations(run)).toEqual(["Bearer t1", "Bearer t2", "Bearer t3", "Bearer t4"]);
  });

  test("awaits an async token function", async () => {
    const run = await runStream([sse([message("e-1", "a")])], { client: { token: async () => "async-token" } });
    expect(authorizations(run)[0]).toBe("Bearer async-token");
  });

  test("reports a token function that throws and retries with backoff, sending nothing meanwhile", async () => {
    let calls = 0;
    const token = (): string => {
      calls += 1;
      if (calls <= 2) throw new Error("identity provider down");
      return "fresh";
    };
    const run = await runStream([sse([message("e-1", "a")])], { client: { token, reconnect: { jitter: false } } });
    expect(messages(run.events)).toEqual(["a"]);
    const retries = run.statuses.filter((status) => status.state === "reconnecting").slice(0, 2);
    expect(retries.map((status) => status.state === "reconnecting" && [status.reason, status.error.code, status.delayMs])).toEqual([
      ["token-error", "TOKEN_ERROR", 2000],
      ["token-error", "TOKEN_ERROR", 4000],
    ]);
    expect(retries[0]?.state === "reconnecting" && retries[0].error.message).toContain("identity provider down");
    expect(authorizations(run)[0]).toBe("Bearer fresh");
  });

  test("retries a token function that rejects like one that throws", async () => {
    let calls = 0;
    const token = (): Promise<string> => (++calls === 1 ? Promise.reject(new Error("offline")) : Promise.resolve("ok"));
    const run = await runStream([sse([message("e-1", "a")])], { client: { token } });
    expect(run.statuses[1]).toMatchObject({ state: "reconnecting", reason: "token-error" });
    expect(messages(run.events)).toEqual(["a"]);
  });

  for (const [label, value] of [
    ["an empty string", ""],
    ["a value with CR LF", "abc\r\nX-Evil: 1"],
    ["a number", 42],
  ] as const) {
    test(`fails with INVALID_TOKEN when the token function returns ${label}, sending nothing`, async () => {
      const run = await runStream([sse([message("e-1", "a")])], { client: { token: () => value as string } });
      expect(run.error).toMatchObject({ name: "EventsClientError", code: "INVALID_TOKEN" });
      expect(run.requests).toHaveLength(0);
      expect(run.statuses.at(-1)).toMatchObject({ state: "closed", reason: "error" });
    });
  }

  test("gives up waiting for a token function that never settles when the heartbeat times out", async () => {
    let calls = 0;
    const token = (): Promise<string> => (++calls === 1 ? new Promise<string>(() => {}) : Promise.resolve("late"));
    const run = await runStream([sse([message("e-1", "a")])], { client: { token, heartbeatTimeoutMs: 5000 } });
    expect(run.statuses[1]).toMatchObject({ state: "reconnecting", reason: "heartbeat-timeout" });
    expect(messages(run.events)).toEqual(["a"]);
  });

  test("closes at once when closed while the token function runs", async () => {
    const statuses: StreamStatus[] = [];
    const server = scriptedFetch([]);
    const stream = createSseClient("http://events.test/feed", { fetch: server.fetch, token: () => new Promise<string>(() => {}), onStatus: (status) => statuses.push(status) });
    const pending = stream[Symbol.asyncIterator]().next();
    stream.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(server.requests).toHaveLength(0);
  });
});

describe("stream: auth-expired", () => {
  test("does not yield auth-expired, and reconnects at once with a fresh token and Last-Event-ID", async () => {
    const source = tokens();
    const run = await runStream(
      [sse([connected("c-1"), message("e-1", "a"), authExpired], "hang"), sse([connected("e-1"), message("e-2", "b")])],
      { client: { token: source.next } },
    );
    expect(run.events.map((event) => event.type)).toEqual(["connected", "message", "connected", "message"]);
    expect(messages(run.events)).toEqual(["a", "b"]);
    expect(authorizations(run).slice(0, 2)).toEqual(["Bearer t1", "Bearer t2"]);
    expect(run.requests[1]?.headers.get("last-event-id")).toBe("e-1");
    const reconnecting = run.statuses.find((status) => status.state === "reconnecting");
    expect(reconnecting).toMatchObject({ reason: "auth-expired", delayMs: 0, expiredAt: "2026-01-01T00:00:00.000Z" });
    expect(reconnecting?.state === "reconnecting" && reconnecting.error.code).toBe("AUTH_EXPIRED");
    expect(reconnecting?.state === "reconnecting" && reconnecting.error.message).toContain("token expired; reconnect with a fresh token");
  });

  test("backs off from the floor when auth-expired repeats within the reconnection time", async () => {
    const clock = new FakeClock();
    const steps = Array.from({ length: 5 }, (_, index) => sse([connected(`c-${index}`), authExpired], "hang"));
    const run = await runStream(steps, { clock, client: { token: () => "stale", reconnect: { jitter: false } } });
    // The first reconnect is at once; each repeat waits the failure backoff (floor 100 ms × 2^n, ceiling 1000 ms × 2^n).
    expect(reconnectDelays(run.statuses)).toEqual([0, 2000, 4000, 8000, 16000]);
  });

  test("reconnects at once again after a connection that lasted longer than the reconnection time", async () => {
    const clock = new FakeClock();
    let connects = 0;
    const encoder = new TextEncoder();
    const longLived = (): Response => {
      connects += 1;
      const chunks = [connected(`c-${connects}`), authExpired];
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const chunk = chunks.shift();
          if (chunk === undefined) return new Promise<void>(() => {});
          // The token expires 60 s (simulated) after the connection opened.
          if (chunk === authExpired) clock.nowMs += 60_000;
          controller.enqueue(encoder.encode(chunk));
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    };
    const run = await runStream([longLived, longLived, longLived], { clock, client: { token: () => "t" } });
    expect(connects).toBe(3);
    expect(reconnectDelays(run.statuses)).toEqual([0, 0, 0]);
  });

  test("is handled by createSseClient too: not yielded, reconnected with a fresh token", async () => {
    const clock = new FakeClock();
    const server = scriptedFetch([sse(["id: 1\ndata: a\n\n", authExpired], "hang"), sse(["id: 2\ndata: b\n\n"])]);
    const source = tokens();
    const stream = createSseClient("http://events.test/feed", { fetch: server.fetch, timers: clock, now: clock.now, token: source.next });
    const seen: string[] = [];
    for await (const event of stream) seen.push(`${event.type}:${event.data}`);
    expect(seen).toEqual(["message:a", "message:b"]);
    expect(authorizations(server).slice(0, 2)).toEqual(["Bearer t1", "Bearer t2"]);
    expect(server.requests[1]?.headers.get("last-event-id")).toBe("1");
  });
});

describe("stream: 401 and 403", () => {
  test("retries a 401 once, at once, with a fresh token from the token function", async () => {
    const source = tokens();
    const run = await runStream([json(401, "INVALID_TOKEN"), sse([message("e-1", "a")])], { client: { token: source.next } });
    expect(messages(run.events)).toEqual(["a"]);
    expect(run.statuses[1]).toMatchObject({ state: "reconnecting", reason: "unauthorized", status: 401, delayMs: 0 });
    expect(authorizations(run).slice(0, 2)).toEqual(["Bearer t1", "Bearer t2"]);
  });

  test("fails on a second 401 in a row, naming the server's code", async () => {
    const run = await runStream([json(401, "INVALID_TOKEN"), json(401, "INVALID_TOKEN"), sse([message("e-1", "a")])], { client: { token: () => "bad" } });
    expect(run.error).toMatchObject({ code: "HTTP_ERROR", status: 401, serverCode: "INVALID_TOKEN" });
    expect(run.requests).toHaveLength(2);
  });

  test("retries a 401 once more after the stream opened again", async () => {
    const run = await runStream([json(401, "INVALID_TOKEN"), sse([message("e-1", "a")]), json(401, "INVALID_TOKEN"), sse([message("e-2", "b")])], {
      client: { token: () => "t" },
    });
    expect(messages(run.events)).toEqual(["a", "b"]);
    expect(run.error).toBeUndefined();
  });

  test("fails on a 401 at once with a fixed token", async () => {
    const run = await runStream([json(401, "UNAUTHORIZED"), sse([message("e-1", "a")])], { client: { token: "fixed" } });
    expect(run.error).toMatchObject({ code: "HTTP_ERROR", status: 401, serverCode: "UNAUTHORIZED" });
    expect(run.requests).toHaveLength(1);
  });

  test("fails on a 403 without retrying, even with a token function, naming FORBIDDEN_TOPIC", async () => {
    const run = await runStream([json(403, "FORBIDDEN_TOPIC"), sse([message("e-1", "a")])], { client: { token: () => "t" }, stream: { topics: ["users/8/*"] } });
    expect(run.error).toMatchObject({ code: "HTTP_ERROR", status: 403, serverCode: "FORBIDDEN_TOPIC" });
    expect((run.error as Error).message).toContain("FORBIDDEN_TOPIC: FORBIDDEN_TOPIC here");
    expect(run.requests).toHaveLength(1);
    expect(run.statuses.at(-1)).toMatchObject({ state: "closed", reason: "error" });
  });

  test("waits for a never-answering request no differently with a token function", async () => {
    const run = await runStream([noAnswer()], { client: { token: () => "t", heartbeatTimeoutMs: 1000 } });
    expect(run.statuses[1]).toMatchObject({ state: "reconnecting", reason: "heartbeat-timeout" });
  });
});
