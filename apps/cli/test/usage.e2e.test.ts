import { describe, expect, test } from "vitest";
import packageJson from "../package.json" with { type: "json" };
import { runCli } from "./harness.ts";

describe("events-cli help and version (compiled binary)", () => {
  test("prints the version at every level", async () => {
    for (const args of [["--version"], ["events", "--version"], ["events", "trigger", "--version"], ["events", "stream", "-V"]]) {
      const result = await runCli(args);
      expect(result).toEqual({ code: 0, stdout: `events-cli ${packageJson.version}\n`, stderr: "" });
    }
  });

  test("prints help with examples at every level", async () => {
    const pages: Array<[string[], string]> = [
      [["--help"], "events-cli [global flags] SERVICE METHOD"],
      [["events", "--help"], "events-cli [global flags] events METHOD"],
      [["events", "trigger", "--help"], "events trigger --message TEXT"],
      [["events", "stream", "-h"], "events stream [--last-event-id ID] [--count N] [--json]"],
      [["help", "events", "stream"], "events stream [--last-event-id ID] [--count N] [--json]"],
      [["events", "stream", "--help"], "-t, --topic T"],
      [["events", "publish", "--help"], "events publish --topic T [--topic U]... [--event NAME] --data JSON [--json]"],
      [["publish", "--help"], "publish --batch FILE [--json]"],
    ];
    for (const [args, usage] of pages) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(usage);
      expect(result.stdout).toContain("Examples:");
      expect(result.stderr).toBe("");
    }
  });
});

describe("events-cli usage errors exit 2 with the usage (compiled binary)", () => {
  const cases: Array<[string, string[], string, string]> = [
    ["no command", [], "missing command", "SERVICE METHOD"],
    ["an unknown service", ["nope", "trigger"], 'unknown service "nope"', "SERVICE METHOD"],
    ["an unknown method", ["events", "subscribe"], 'unknown method "subscribe"', "events METHOD"],
    ["an unknown flag", ["events", "stream", "--frobnicate"], "unknown flag --frobnicate", "events stream [--last-event-id"],
    ["a flag of another method", ["events", "trigger", "-m", "x", "--count", "2"], 'unknown flag --count for "events trigger"', "--message TEXT"],
    ["a missing --message", ["events", "trigger"], "missing --message", "--message TEXT"],
    ["invalid --body JSON", ["events", "trigger", "--body", "{nope"], "--body is not valid JSON", "--message TEXT"],
    ["a --body without a message", ["events", "trigger", "--body", '{"msg":"x"}'], '--body must be a JSON object with a string "message"', "--message TEXT"],
    ["a bad --timeout", ["--timeout", "soon", "events", "trigger", "-m", "x"], "--timeout must be a duration", "--message TEXT"],
    ["a bad --count", ["events", "stream", "--count", "0"], "--count must be a positive whole number", "[--count N]"],
    ["a bad --url", ["--url", "localhost:8080", "events", "stream"], "--url must be an http:// or https:// URL", "[--count N]"],
    ["an invalid --topic", ["events", "stream", "--topic", "a//b"], "--topic: topic pattern must not have an empty", "[--topic T]"],
    ["a publish without --topic", ["events", "publish", "--data", "1"], "missing --topic", "--data JSON"],
    ["a publish without --data", ["events", "publish", "--topic", "a"], "missing --data", "--data JSON"],
    ["--data that is not JSON", ["events", "publish", "--topic", "a", "--data", "{nope"], "--data is not valid JSON", "--data JSON"],
    ["a pattern as a publish topic", ["events", "publish", "--topic", "a/*", "--data", "1"], "--topic: topic must contain only", "--data JSON"],
    ["--batch with --topic and --data", ["publish", "--batch", "b.json", "-t", "a", "-d", "1"], "--batch excludes --topic and --data", "--batch FILE"],
    ["a --batch file that is missing", ["publish", "--batch", "no-such-file.ndjson"], "cannot read --batch no-such-file.ndjson: no such file", "--batch FILE"],
  ];
  for (const [name, args, reason, usage] of cases) {
    test(`refuses ${name}`, async () => {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.split("\n")[0]).toContain(`events-cli: ${reason}`);
      expect(result.stderr).toContain(usage);
    });
  }
});

describe("events-cli did you mean (compiled binary)", () => {
  const cases: Array<[string[], string, string]> = [
    [["trgger", "-m", "x"], 'unknown command "trgger": did you mean "trigger"?', "SERVICE METHOD"],
    [["events", "stram"], 'unknown method "stram": did you mean "stream"?', "events METHOD"],
    [["stream", "--cuont", "3"], "unknown flag --cuont: did you mean --count?", "[--count N]"],
    [["completion", "fihs"], 'unknown shell "fihs": did you mean "fish"?', "completion bash|zsh|fish"],
  ];
  for (const [args, reason, usage] of cases) {
    test(`suggests for ${args.join(" ")} and exits 2`, async () => {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.split("\n")[0]).toBe(`events-cli: ${reason}`);
      expect(result.stderr).toContain(usage);
    });
  }

  test("shows a method's help without the service word, and the completion help", async () => {
    for (const [args, usage] of [
      [["trigger", "--help"], "events-cli [global flags] trigger --message TEXT"],
      [["help", "stream"], "--raw"],
      [["completion", "--help"], "events-cli completion bash|zsh|fish"],
    ] as const) {
      const result = await runCli(args);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout).toContain(usage);
    }
  });
});
