import { describe, expect, test } from "vitest";
import { type Command, parseCommandLine } from "./args.ts";
import { DEFAULT_TIMEOUT_MS, DEFAULT_URL } from "./global-options.ts";
import { UsageError } from "./usage-error.ts";

function usageError(argv: readonly string[], env = {}): UsageError {
  try {
    parseCommandLine(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`expected a usage error for ${JSON.stringify(argv)}`);
}

function parsed<K extends Command["kind"]>(kind: K, argv: readonly string[], env = {}): Extract<Command, { kind: K }> {
  const command = parseCommandLine(argv, env);
  expect(command.kind).toBe(kind);
  return command as Extract<Command, { kind: K }>;
}

describe("parseCommandLine: trigger", () => {
  test("reads the message and the defaults", () => {
    const command = parsed("trigger", ["events", "trigger", "--message", "hello"]);
    expect(command.message).toBe("hello");
    expect(command.json).toBe(false);
    expect(command.global).toEqual({ url: DEFAULT_URL, token: undefined, timeoutMs: DEFAULT_TIMEOUT_MS, verbose: false });
  });

  test("takes Goa's --body JSON form", () => {
    expect(parsed("trigger", ["events", "trigger", "--body", '{"message": "a \\"b\\"\\nc"}']).message).toBe('a "b"\nc');
  });

  test("accepts global flags before, between and after the command words", () => {
    const command = parsed("trigger", ["--url", "http://a:1", "events", "--token", "t", "trigger", "-m", "x", "--timeout", "500ms", "-v"]);
    expect(command.global).toEqual({ url: "http://a:1", token: "t", timeoutMs: 500, verbose: true });
  });

  test("reads EVENTS_URL and EVENTS_TOKEN when no flag is given, and prefers the flags", () => {
    const env = { EVENTS_URL: "https://events.example.com/", EVENTS_TOKEN: "from-env" };
    expect(parsed("trigger", ["events", "trigger", "-m", "x"], env).global).toMatchObject({ url: "https://events.example.com", token: "from-env" });
    expect(parsed("trigger", ["--url", "http://b:2", "--token", "flag", "events", "trigger", "-m", "x"], env).global).toMatchObject({
      url: "http://b:2",
      token: "flag",
    });
  });

  test("sends no token for an empty --token, even with EVENTS_TOKEN set", () => {
    expect(parsed("trigger", ["--token", "", "events", "trigger", "-m", "x"], { EVENTS_TOKEN: "env" }).global.token).toBeUndefined();
  });

  test("refuses a token or a last event id that would break a header", () => {
    expect(usageError(["--token", "a\nb", "events", "trigger", "-m", "x"]).message).toBe("--token must not contain CR, LF or NUL");
    expect(usageError(["events", "stream", "--last-event-id", "a\rb"]).message).toBe("--last-event-id must not contain CR, LF or NUL");
  });

  test("keeps a message that starts with a dash when written with =", () => {
    expect(parsed("trigger", ["events", "trigger", "--message=-x"]).message).toBe("-x");
  });

  test("refuses a missing message, both forms at once, bad JSON and a body without a string message", () => {
    expect(usageError(["events", "trigger"]).message).toBe("missing --message (or --body)");
    expect(usageError(["events", "trigger", "-m", "a", "--body", '{"message":"b"}']).message).toContain("not both");
    expect(usageError(["events", "trigger", "--body", "{nope"]).message).toContain("--body is not valid JSON");
    expect(usageError(["events", "trigger", "--body", '{"msg": "x"}']).message).toContain('string "message"');
    expect(usageError(["events", "trigger", "--body", "[]"]).topic).toBe("events trigger");
  });

  test("refuses a stream flag on trigger", () => {
    const error = usageError(["events", "trigger", "-m", "x", "--count", "3"]);
    expect(error.message).toBe('unknown flag --count for "events trigger"');
    expect(error.topic).toBe("events trigger");
  });
});

describe("parseCommandLine: stream", () => {
  test("reads --last-event-id, --count and --json", () => {
    const command = parsed("stream", ["events", "stream", "--last-event-id", "abc-1", "-n", "3", "--json"]);
    expect(command).toMatchObject({ lastEventId: "abc-1", count: 3, json: true });
  });

  test("follows forever without --count", () => {
    expect(parsed("stream", ["events", "stream"]).count).toBeUndefined();
  });

  test("refuses a count that is not a positive whole number", () => {
    for (const count of ["0", "-1", "1.5", "three", ""]) {
      expect(usageError(["events", "stream", `--count=${count}`]).message).toContain("--count");
    }
  });

  test("reads repeated --topic in order, and none without it", () => {
    expect(parsed("stream", ["events", "stream", "--topic", "orders/42", "-t", "users/7/*"]).topics).toEqual(["orders/42", "users/7/*"]);
    expect(parsed("stream", ["events", "stream"]).topics).toBeUndefined();
  });

  test("refuses a trigger flag on stream", () => {
    expect(usageError(["events", "stream", "--message", "x"]).message).toBe('unknown flag --message for "events stream"');
  });
});

describe("parseCommandLine: publish", () => {
  test("reads topics, event and the --data JSON", () => {
    const command = parsed("publish", ["events", "publish", "-t", "a", "--topic", "b", "--event", "order.updated", "--data", '{"x":[1]}']);
    expect(command).toMatchObject({ topics: ["a", "b"], event: "order.updated", data: { from: "flag", value: { x: [1] } }, json: false });
  });

  test("leaves the event to the server and takes any JSON value as data", () => {
    const command = parsed("publish", ["events", "publish", "-t", "a", "--data", "null", "--json"]);
    expect(command).toMatchObject({ event: undefined, data: { from: "flag", value: null }, json: true });
  });

  test("reads the data from stdin for --data -", () => {
    expect(parsed("publish", ["events", "publish", "-t", "a", "--data", "-"]).data).toEqual({ from: "stdin" });
  });

  test("refuses a missing --topic, a missing --data and --data that is not JSON", () => {
    expect(usageError(["events", "publish", "--data", "1"])).toMatchObject({ topic: "events publish", message: expect.stringContaining("missing --topic") });
    expect(usageError(["events", "publish", "-t", "a"]).message).toContain("missing --data");
    expect(usageError(["events", "publish", "-t", "a", "--data", "hello"]).message).toContain("--data is not valid JSON");
  });

  test("refuses stream and trigger flags on publish", () => {
    expect(usageError(["events", "publish", "-t", "a", "--data", "1", "--count", "1"]).message).toBe('unknown flag --count for "events publish"');
    expect(usageError(["events", "publish", "-t", "a", "--data", "1", "-m", "x"]).message).toBe('unknown flag -m for "events publish"');
  });
});

describe("parseCommandLine: publish --batch", () => {
  test("reads --batch FILE and --json, with and without the service word", () => {
    expect(parsed("publish-batch", ["events", "publish", "--batch", "events.ndjson"])).toMatchObject({ source: { from: "file", path: "events.ndjson" }, json: false });
    expect(parsed("publish-batch", ["--url", "http://a:1", "publish", "--json", "--batch=b.json"])).toMatchObject({
      global: { url: "http://a:1" },
      source: { from: "file", path: "b.json" },
      json: true,
    });
  });

  test("reads the batch from stdin for --batch -", () => {
    expect(parsed("publish-batch", ["publish", "--batch", "-"]).source).toEqual({ from: "stdin" });
  });

  test("refuses --topic, --event and --data with --batch, naming each one given", () => {
    expect(usageError(["publish", "--batch", "b.json", "-t", "a"])).toMatchObject({
      topic: "events publish",
      message: "--batch excludes --topic: each batch item names its own topic, event and data",
    });
    expect(usageError(["publish", "--event", "x", "--batch", "-", "--data", "1"]).message).toBe("--batch excludes --event and --data: each batch item names its own topic, event and data");
  });

  test("refuses --batch without a file name, and on other commands", () => {
    expect(usageError(["publish", "--batch="]).message).toBe("--batch needs a file name, or - to read stdin");
    expect(usageError(["publish", "--batch"]).message).toBe("--batch needs a value");
    expect(usageError(["stream", "--batch", "b.json"]).message).toBe('unknown flag --batch for "events stream"');
  });
});

describe("parseCommandLine: help, version and usage errors", () => {
  test("shows help for the level it follows", () => {
    expect(parsed("help", ["--help"]).topic).toBe("root");
    expect(parsed("help", ["events", "-h"]).topic).toBe("events");
    expect(parsed("help", ["events", "trigger", "--help"]).topic).toBe("events trigger");
    expect(parsed("help", ["events", "stream", "--help", "--count", "3"]).topic).toBe("events stream");
    expect(parsed("help", ["help", "events", "stream"]).topic).toBe("events stream");
    expect(parsed("help", ["events", "publish", "--help"]).topic).toBe("events publish");
  });

  test("shows help even when a required flag is missing", () => {
    expect(parsed("help", ["events", "trigger", "--help"]).topic).toBe("events trigger");
  });

  test("prints the version at every level", () => {
    for (const argv of [["--version"], ["events", "-V"], ["events", "trigger", "--version"], ["events", "stream", "--version"]]) {
      expect(parseCommandLine(argv, {}).kind).toBe("version");
    }
  });

  test("names what is wrong and which usage to print", () => {
    expect(usageError([])).toMatchObject({ topic: "root", message: expect.stringContaining("missing command") });
    expect(usageError(["nope", "trigger"])).toMatchObject({ topic: "root", message: expect.stringContaining('unknown service "nope"') });
    expect(usageError(["events"])).toMatchObject({ topic: "events", message: expect.stringContaining("missing method") });
    expect(usageError(["events", "subscribe"])).toMatchObject({ topic: "events", message: expect.stringContaining('unknown method "subscribe"') });
    expect(usageError(["events", "stream", "extra"])).toMatchObject({ topic: "events stream", message: 'unexpected argument "extra"' });
    expect(usageError(["--frobnicate", "events", "stream"])).toMatchObject({ topic: "events stream", message: "unknown flag --frobnicate" });
    expect(usageError(["events", "trigger", "--message"]).message).toBe("--message needs a value");
    expect(usageError(["events", "trigger", "--message", "-x"]).message).toContain("--message=-VALUE");
    expect(usageError(["events", "stream", "--json=yes"]).message).toBe("--json takes no value");
  });

  test("refuses a URL that is not http(s) and a timeout that is not a duration", () => {
    expect(usageError(["--url", "ftp://x", "events", "stream"]).message).toContain("--url must be an http:// or https:// URL");
    expect(usageError(["events", "stream"], { EVENTS_URL: "not a url" }).message).toContain("EVENTS_URL must be");
    expect(usageError(["--timeout", "5", "events", "stream"]).message).toContain("--timeout must be a duration");
    expect(usageError(["--url", "http://a/?x=1", "events", "stream"]).message).toContain("without ?query or #fragment");
  });
});

describe("parseCommandLine: commands without the service word", () => {
  test("reads trigger, stream and publish alone exactly as after events", () => {
    const pairs: Array<[string[], string[]]> = [
      [["trigger", "-m", "hi", "--json"], ["events", "trigger", "-m", "hi", "--json"]],
      [["stream", "-t", "a", "--count", "2"], ["events", "stream", "-t", "a", "--count", "2"]],
      [["publish", "-t", "a", "--data", "1"], ["events", "publish", "-t", "a", "--data", "1"]],
    ];
    for (const [short, goa] of pairs) expect(parseCommandLine(short, {})).toEqual(parseCommandLine(goa, {}));
  });

  test("shows a method's help for the short form", () => {
    expect(parsed("help", ["trigger", "--help"]).topic).toBe("events trigger");
    expect(parsed("help", ["help", "publish"]).topic).toBe("events publish");
    expect(parsed("help", ["completion", "-h"]).topic).toBe("completion");
  });

  test("refuses a word after the method", () => {
    expect(usageError(["stream", "extra"])).toMatchObject({ topic: "events stream", message: 'unexpected argument "extra"' });
  });
});

describe("parseCommandLine: stdin, headers and --raw", () => {
  test("reads the message from stdin for --message -, and keeps --message=- as the same request", () => {
    expect(parsed("trigger", ["trigger", "--message", "-"]).message).toEqual({ from: "stdin" });
    expect(parsed("trigger", ["trigger", "-m", "-"]).message).toEqual({ from: "stdin" });
    expect(parsed("trigger", ["trigger", "--body", '{"message": "-"}']).message).toBe("-");
  });

  test("reads repeated -H/--header into lower-case names, joining a repeated name with a comma", () => {
    const command = parsed("stream", ["-H", "X-Request-Id: 42", "stream", "--header", "Accept-Language:de", "-H", "x-request-id:  43 "]);
    expect(command.global.headers).toEqual({ "x-request-id": "42, 43", "accept-language": "de" });
    expect(parsed("stream", ["stream"]).global.headers).toBeUndefined();
  });

  test("refuses a header without a name and colon, or with a line break", () => {
    expect(usageError(["-H", "no colon", "stream"]).message).toBe('--header must be "Name: value" with a header name before the colon (got "no colon")');
    expect(usageError(["-H", ": x", "stream"]).message).toContain("header name before the colon");
    expect(usageError(["-H", "Bad Name: x", "stream"]).message).toContain("header name before the colon");
    expect(usageError(["-H", "X-A: 1\r\nX-B: 2", "stream"]).message).toBe("--header X-A must not contain CR, LF or NUL");
  });

  test("lets an Authorization header replace EVENTS_TOKEN, and refuses it together with --token", () => {
    const command = parsed("trigger", ["-H", "Authorization: Basic YTpi", "trigger", "-m", "x"], { EVENTS_TOKEN: "env" });
    expect(command.global).toMatchObject({ token: undefined, headers: { authorization: "Basic YTpi" } });
    expect(usageError(["-H", "authorization: x", "--token", "t", "trigger", "-m", "x"]).message).toBe('give --token or -H "Authorization: ...", not both');
  });

  test("reads --raw for stream only, and not with --json", () => {
    expect(parsed("stream", ["stream", "--raw"]).raw).toBe(true);
    expect(parsed("stream", ["stream"]).raw).toBe(false);
    expect(usageError(["stream", "--raw", "--json"]).message).toBe("give --raw or --json, not both");
    expect(usageError(["trigger", "-m", "x", "--raw"]).message).toBe('unknown flag --raw for "events trigger"');
  });
});

describe("parseCommandLine: did you mean", () => {
  test("suggests the nearest command, method or service", () => {
    expect(usageError(["trgger", "-m", "x"])).toMatchObject({ topic: "root", message: 'unknown command "trgger": did you mean "trigger"?' });
    expect(usageError(["stram"]).message).toBe('unknown command "stram": did you mean "stream"?');
    expect(usageError(["events", "pubilsh"])).toMatchObject({ topic: "events", message: 'unknown method "pubilsh": did you mean "publish"?' });
    expect(usageError(["evnts", "trigger"]).message).toBe('unknown service "evnts": did you mean "events"?');
    expect(usageError(["help", "strem"]).message).toBe('unknown command "strem" (help): did you mean "stream"?');
  });

  test("lists the commands when nothing is near", () => {
    expect(usageError(["deploy"]).message).toBe('unknown command "deploy": try "trigger", "stream", "publish", "token" or "completion"');
  });

  test("suggests the nearest flag of the command", () => {
    expect(usageError(["trigger", "--mesage", "x"])).toMatchObject({ topic: "events trigger", message: "unknown flag --mesage: did you mean --message?" });
    expect(usageError(["stream", "--last", "x"]).message).toBe("unknown flag --last: did you mean --last-event-id?");
    expect(usageError(["stream", "--cuont", "2"]).message).toBe("unknown flag --cuont: did you mean --count?");
    expect(usageError(["--verbos", "stream"]).message).toBe("unknown flag --verbos: did you mean --verbose?");
    expect(usageError(["publish", "-t", "a", "--data", "1", "--jsn"]).message).toBe("unknown flag --jsn: did you mean --json?");
    expect(usageError(["trigger", "-m", "x", "--topic", "a"]).message).toBe('unknown flag --topic for "events trigger"');
  });
});

describe("parseCommandLine: completion", () => {
  test("reads the shell", () => {
    for (const shell of ["bash", "zsh", "fish"] as const) expect(parseCommandLine(["completion", shell], {})).toEqual({ kind: "completion", shell });
  });

  test("refuses a missing or unknown shell, suggesting the nearest", () => {
    expect(usageError(["completion"])).toMatchObject({ topic: "completion", message: 'missing shell: "bash", "zsh" or "fish"' });
    expect(usageError(["completion", "bahs"]).message).toBe('unknown shell "bahs": did you mean "bash"?');
    expect(usageError(["completion", "powershell"]).message).toBe('unknown shell "powershell": try "bash", "zsh" or "fish"');
    expect(usageError(["completion", "bash", "--json"]).message).toBe('unknown flag --json for "completion"');
  });
});
