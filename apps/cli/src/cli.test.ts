import { describe, expect, test } from "vitest";
import { CLI_VERSION, runCli } from "./cli.ts";
import type { CliIo } from "./io.ts";

interface FakeIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
  readonly requests: Request[];
}

function fakeIo(respond: (request: Request) => Response | Promise<Response>, env: Record<string, string> = {}): FakeIo {
  const out: string[] = [];
  const err: string[] = [];
  const requests: Request[] = [];
  const fetchFake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    requests.push(request);
    return respond(request);
  };
  return {
    out,
    err,
    requests,
    stdout: { write: async (text) => void out.push(text) },
    stderr: { write: async (text) => void err.push(text) },
    stdoutIsTty: false,
    env,
    onStop: () => () => {},
    now: () => new Date(2026, 0, 1, 12, 0, 0, 0),
    fetch: fetchFake as typeof fetch,
  };
}

/** Waits (in macrotask turns, bounded) until `condition()` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 500 && !condition(); turn += 1) await new Promise((resolve) => setTimeout(resolve, 0));
  if (!condition()) throw new Error(`condition not met: ${condition.toString()}`);
}

const unreachable = (): Response => {
  throw new Error("no request expected");
};

function sseBody(frames: string): Response {
  return new Response(frames, { headers: { "content-type": "text/event-stream" } });
}

describe("runCli", () => {
  test("prints the version and exits 0", async () => {
    const io = fakeIo(unreachable);
    expect(await runCli(["--version"], io)).toBe(0);
    expect(io.out.join("")).toBe(`events-cli ${CLI_VERSION}\n`);
  });

  test("prints the error and the usage on stderr and exits 2 for a usage error", async () => {
    const io = fakeIo(unreachable);
    expect(await runCli(["events", "trigger"], io)).toBe(2);
    const text = io.err.join("");
    expect(text.startsWith("events-cli: missing --message (or --body)\n\nUsage:\n")).toBe(true);
    expect(text).toContain('Run "events-cli events trigger --help" for details.');
    expect(io.out).toEqual([]);
  });

  test("posts the message with the token and prints the status", async () => {
    const io = fakeIo(() => Response.json({ status: "Event broadcast to 2 clients", id: "a-1", clients: 2 }), { EVENTS_TOKEN: "t0k" });
    expect(await runCli(["--url", "http://events.test", "events", "trigger", "-m", "hi"], io)).toBe(0);
    expect(io.out.join("")).toBe("Event broadcast to 2 clients (id a-1)\n");
    const [request] = io.requests;
    expect(request?.url).toBe("http://events.test/events/trigger");
    expect(request?.headers.get("authorization")).toBe("Bearer t0k");
    expect(await request?.json()).toEqual({ message: "hi" });
  });

  test("exits 1 with the server's message when the trigger is refused", async () => {
    const io = fakeIo(() => Response.json({ error: { code: "VALIDATION_FAILED", message: "message must not be empty" } }, { status: 422 }));
    expect(await runCli(["--url", "http://events.test", "events", "trigger", "-m", ""], io)).toBe(1);
    expect(io.err.join("")).toBe("events-cli: events trigger failed: HTTP 422 VALIDATION_FAILED: message must not be empty\n");
  });

  test("streams events as NDJSON and stops after --count messages", async () => {
    const frames =
      'retry: 1000\n\nevent: connected\nid: a-0\ndata: {"message":"Connected","clients":1}\n\n' +
      'event: message\nid: a-1\ndata: {"message":"one"}\n\nevent: message\nid: a-2\ndata: {"message":"two"}\n\n' +
      'event: message\nid: a-3\ndata: {"message":"three"}\n\n';
    const io = fakeIo(() => sseBody(frames));
    expect(await runCli(["--url", "http://events.test", "events", "stream", "--json", "--count", "2", "--last-event-id", "z-9"], io)).toBe(0);
    const events = io.out.map((line) => JSON.parse(line) as { type: string; id: string });
    expect(events.map((event) => `${event.type} ${event.id}`)).toEqual(["connected a-0", "message a-1", "message a-2"]);
    expect(io.requests[0]?.headers.get("last-event-id")).toBe("z-9");
  });

  test("exits 1 when the stream is refused with a client error", async () => {
    const io = fakeIo(() => Response.json({ error: { code: "UNAUTHORIZED", message: "token required" } }, { status: 401 }));
    expect(await runCli(["--url", "http://events.test", "events", "stream"], io)).toBe(1);
    expect(io.err.join("")).toBe("events-cli: events stream failed: HTTP 401 UNAUTHORIZED: token required (set --token or EVENTS_TOKEN)\n");
  });

  test("exits 1 naming the network reason the first stream attempt reported", async () => {
    const io = fakeIo(() => {
      throw Object.assign(new TypeError("fetch failed"), { code: "ECONNREFUSED" });
    });
    expect(await runCli(["--url", "http://events.test", "events", "stream"], io)).toBe(1);
    expect(io.err.join("")).toBe("events-cli: events stream failed: connection refused to http://events.test\n");
  });

  test("exits 1 when the first stream attempt is a redirect loop, after 6 requests", async () => {
    const io = fakeIo((request) => new Response(null, { status: 302, headers: { location: `${request.url}x` } }));
    expect(await runCli(["--url", "http://events.test", "events", "stream"], io)).toBe(1);
    expect(io.err.join("")).toBe("events-cli: events stream failed: the server redirected too many times\n");
    expect(io.requests).toHaveLength(6);
  });

  test("exits 0 on Ctrl-C while a request hangs and its fetch ignores the abort", async () => {
    let stop: (() => void) | undefined;
    const io: FakeIo = {
      ...fakeIo(() => new Promise<Response>(() => {})),
      onStop: (handler) => {
        stop = handler;
        return () => {};
      },
    };
    const exit = runCli(["--url", "http://events.test", "--timeout", "0", "events", "stream"], io);
    await until(() => io.requests.length === 1);
    stop?.();
    expect(await exit).toBe(0);
    expect(io.err).toEqual([]);
  });

  test("exits 1 when the first stream answer is a server error", async () => {
    const io = fakeIo(() => new Response("down", { status: 503 }));
    expect(await runCli(["--url", "http://events.test", "events", "stream"], io)).toBe(1);
    expect(io.err.join("")).toBe("events-cli: events stream failed: the server answered HTTP 503\n");
  });
});
