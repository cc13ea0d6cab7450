import { describe, expect, test } from "vitest";
import { CLI_VERSION, runCli } from "./cli.ts";
import { fakeIo, type FakeIo } from "./test-support/fake-io.ts";

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

describe("runCli: topics", () => {
  test("streams the topics given with --topic and writes each event's topic in the JSON lines", async () => {
    const frames =
      'event: connected\nid: a-0\ndata: {"message":"Connected","clients":1,"replayed":0}\n\n' +
      'id: a-1\ntopic: orders/42\ndata: {"message":"one"}\n\n' +
      'event: order.updated\nid: a-2\ntopic: users/7/cart\ndata: {"total":12}\n\n';
    const io = fakeIo(() => sseBody(frames));
    const argv = ["--url", "http://events.test", "events", "stream", "--topic", "orders/42", "-t", "users/7/*", "--json", "--count", "2"];
    expect(await runCli(argv, io)).toBe(0);
    expect(new URL(io.requests[0]?.url ?? "").searchParams.getAll("topic")).toEqual(["orders/42", "users/7/*"]);
    const events = io.out.map((line) => JSON.parse(line) as { type: string; topic: string; data: unknown });
    expect(events.map((event) => [event.type, event.topic, event.data])).toEqual([
      ["connected", "events", { message: "Connected", clients: 1, replayed: 0 }],
      ["message", "orders/42", { message: "one" }],
      ["order.updated", "users/7/cart", { total: 12 }],
    ]);
  });

  test("shows the topic on human lines only for topics other than the default", async () => {
    const frames = 'id: a-1\ndata: {"message":"plain"}\n\nid: a-2\ntopic: rooms/1\ndata: {"message":"room"}\n\n';
    const io = fakeIo(() => sseBody(frames));
    expect(await runCli(["--url", "http://events.test", "events", "stream", "--count", "2", "-t", "events", "-t", "rooms/1"], io)).toBe(0);
    expect(io.out).toEqual(["12:00:00.000  message    a-1  plain\n", "12:00:00.000  message    a-2  [rooms/1]  room\n"]);
  });

  test("exits 2 with the usage for a --topic that is not a topic or pattern, without a request", async () => {
    const io = fakeIo(unreachable);
    expect(await runCli(["--url", "http://events.test", "events", "stream", "--topic", "orders/4*"], io)).toBe(2);
    const text = io.err.join("");
    expect(text).toMatch(/^events-cli: --topic: topic pattern .*"\*"/);
    expect(text).toContain("Usage:\n  events-cli [global flags] events stream");
    expect(io.requests).toEqual([]);
  });

  test("publishes --data to one topic and prints where it went", async () => {
    const io = fakeIo(() => Response.json({ id: "a-9", topics: ["orders/42"], clients: 2 }), { EVENTS_TOKEN: "t0k" });
    const argv = ["--url", "http://events.test", "events", "publish", "--topic", "orders/42", "--event", "order.updated", "--data", '{"total":12}'];
    expect(await runCli(argv, io)).toBe(0);
    expect(io.out.join("")).toBe("Published to orders/42 (id a-9, 2 clients)\n");
    const [request] = io.requests;
    expect(request?.url).toBe("http://events.test/events/publish");
    expect(request?.headers.get("authorization")).toBe("Bearer t0k");
    expect(await request?.json()).toEqual({ topic: "orders/42", event: "order.updated", data: { total: 12 } });
  });

  test("publishes to several topics with data read from stdin and prints the JSON answer with --json", async () => {
    const answer = { id: "a-10", topics: ["a", "b"], clients: 0 };
    const io = fakeIo(() => Response.json(answer), {}, '  "shipped"\n');
    expect(await runCli(["--url", "http://events.test", "events", "publish", "-t", "a", "-t", "b", "--data", "-", "--json"], io)).toBe(0);
    expect(JSON.parse(io.out.join(""))).toEqual(answer);
    expect(await io.requests[0]?.json()).toEqual({ topics: ["a", "b"], data: "shipped" });
  });

  test("exits 2 for stdin data that is not JSON, and for a pattern as a publish topic, without a request", async () => {
    const badStdin = fakeIo(unreachable, {}, "{nope");
    expect(await runCli(["--url", "http://events.test", "events", "publish", "-t", "a", "--data", "-"], badStdin)).toBe(2);
    expect(badStdin.err.join("")).toContain("events-cli: stdin (--data -) is not valid JSON");
    const pattern = fakeIo(unreachable);
    expect(await runCli(["--url", "http://events.test", "events", "publish", "-t", "a/*", "--data", "1"], pattern)).toBe(2);
    expect(pattern.err.join("")).toMatch(/^events-cli: --topic: topic must contain only/);
    expect(pattern.err.join("")).toContain("events publish --topic T");
    expect([...badStdin.requests, ...pattern.requests]).toEqual([]);
  });

  test("exits 1 with the server's message when the publish is refused", async () => {
    const io = fakeIo(() => Response.json({ error: { code: "INVALID_EVENT_NAME", message: '"gap" is reserved' } }, { status: 400 }));
    expect(await runCli(["--url", "http://events.test", "events", "publish", "-t", "a", "-e", "gap", "--data", "1"], io)).toBe(1);
    expect(io.err.join("")).toBe('events-cli: events publish failed: HTTP 400 INVALID_EVENT_NAME: "gap" is reserved\n');
  });
});

describe("runCli: papercuts (issue 18)", () => {
  const triggerAnswer = (clients: number): Response => Response.json({ status: `Event broadcast to ${clients} clients`, id: "a-1", clients });

  test("triggers without the service word, sending stdin for --message - and saying 1 client", async () => {
    const io = fakeIo(() => triggerAnswer(1), {}, "line 1\nline 2\n");
    expect(await runCli(["--url", "http://events.test", "trigger", "--message", "-"], io)).toBe(0);
    expect(await io.requests[0]?.json()).toEqual({ message: "line 1\nline 2" });
    expect(io.out.join("")).toBe("Event broadcast to 1 client (id a-1)\n");
  });

  test("sends -H headers with a trigger, a publish and every stream attempt", async () => {
    const io = fakeIo((request) => (request.url.endsWith("/stream") ? sseBody('id: a-1\ndata: {"message":"x"}\n\n') : triggerAnswer(0)));
    const headers = ["-H", "X-Request-Id: 42", "--header", "Authorization: Basic YTpi"];
    expect(await runCli(["--url", "http://events.test", ...headers, "trigger", "-m", "x"], io)).toBe(0);
    expect(await runCli(["--url", "http://events.test", ...headers, "stream", "--count", "1"], io)).toBe(0);
    for (const request of io.requests) {
      expect(request.headers.get("x-request-id")).toBe("42");
      expect(request.headers.get("authorization")).toBe("Basic YTpi");
    }
    expect(io.requests).toHaveLength(2);
  });

  test("shows -H headers in --verbose with secrets hidden", async () => {
    const io = fakeIo(() => triggerAnswer(0));
    expect(await runCli(["--url", "http://events.test", "-v", "-H", "X-Trace: t1", "-H", "Cookie: s=secret", "trigger", "-m", "x"], io)).toBe(0);
    const log = io.err.join("");
    expect(log).toContain("> POST http://events.test/events/trigger (x-trace: t1, cookie: ***)");
    expect(log).not.toContain("secret");
  });

  test("prints the frames as received with --raw, stopping after --count events", async () => {
    const frames =
      'retry: 1000\n\nevent: connected\nid: a-0\ndata: {"message":"Connected","clients":1,"replayed":0}\n\n' +
      ': keepalive\n\nid: a-1\r\ndata: {"message":"one"}\r\n\r\nid: a-2\ndata: {"message":"two"}\n\n';
    const io = fakeIo(() => sseBody(frames));
    expect(await runCli(["--url", "http://events.test", "stream", "--raw", "--count", "1"], io)).toBe(0);
    expect(io.out.join("")).toBe(frames.slice(0, frames.indexOf("id: a-2")));
  });

  test("escapes control characters in --raw frames on a terminal", async () => {
    const io: FakeIo = { ...fakeIo(() => sseBody(': \u001b]0;owned\u0007\r\n\r\nid: a-1\ndata: {"message":"x"}\n\n')), stdoutIsTty: true };
    expect(await runCli(["--url", "http://events.test", "stream", "--raw", "--count", "1"], io)).toBe(0);
    expect(io.out.join("")).toBe(': \\u001b]0;owned\\u0007\n\nid: a-1\ndata: {"message":"x"}\n\n');
  });

  test("marks the replayed events in human lines", async () => {
    const frames =
      'event: connected\nid: a-0\ndata: {"message":"Connected","clients":1,"replayed":1}\n\n' +
      'id: a-1\ndata: {"message":"old"}\n\nid: a-2\ndata: {"message":"new"}\n\n';
    const io = fakeIo(() => sseBody(frames));
    expect(await runCli(["--url", "http://events.test", "stream", "--count", "2", "--last-event-id", "a-0"], io)).toBe(0);
    expect(io.out).toEqual([
      "12:00:00.000  connected  a-0  Connected (1 connected; 1 replayed from history follow)\n",
      "12:00:00.000  message    a-1  (replayed)  old\n",
      "12:00:00.000  message    a-2  new\n",
    ]);
  });

  test("exits 2 with a did-you-mean for a mistyped command, without a request", async () => {
    const io = fakeIo(unreachable);
    expect(await runCli(["strem"], io)).toBe(2);
    expect(io.err.join("")).toMatch(/^events-cli: unknown command "strem": did you mean "stream"\?\n\nUsage:\n/);
  });

  test("prints a completion script", async () => {
    const io = fakeIo(unreachable);
    expect(await runCli(["completion", "bash"], io)).toBe(0);
    expect(io.out.join("")).toContain("complete -F _events_cli events-cli");
  });
});
