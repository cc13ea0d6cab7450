import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { cleanEnv, runCli, withServer, withSilentServer } from "./harness.ts";

describe("events-cli events trigger (compiled binary, real server)", () => {
  test("broadcasts the message and prints the server's status and the event id", async () => {
    await withServer(async (url) => {
      const result = await runCli(["--url", url, "events", "trigger", "--message", "hello from the cli"]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Event broadcast to \d+ clients? \(id \S+\)\n$/);
    });
  });

  test("takes Goa's --body form, EVENTS_URL, and prints JSON with --json", async () => {
    await withServer(async (url) => {
      const result = await runCli(["events", "trigger", "--body", '{"message": "line 1\\nline \\"2\\""}', "--json"], {
        env: cleanEnv({ EVENTS_URL: url }),
      });
      expect(result.code).toBe(0);
      const answer = JSON.parse(result.stdout) as { status: string; id: string; clients: number };
      expect(answer.status).toMatch(/^Event broadcast to \d+ clients?$/);
      expect(typeof answer.id).toBe("string");
      expect(answer.clients).toBe(0);
    });
  });

  test("exits 1 with the server's validation message for an empty message", async () => {
    await withServer(async (url) => {
      const result = await runCli(["--url", url, "events", "trigger", "--message", ""]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      const lines = result.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^events-cli: events trigger failed: HTTP 4\d\d \S+: .+/);
    });
  });

  test("sends the token from EVENTS_TOKEN or --token, and exits 1 with a hint without it", async () => {
    await withServer(
      async (url) => {
        const refused = await runCli(["--url", url, "events", "trigger", "-m", "hi"]);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/^events-cli: events trigger failed: HTTP 401 \S+: .+ \(set --token or EVENTS_TOKEN\)\n$/);
        const fromEnv = await runCli(["--url", url, "events", "trigger", "-m", "hi"], { env: cleanEnv({ EVENTS_TOKEN: "s3cret" }) });
        expect(fromEnv.code).toBe(0);
        const fromFlag = await runCli(["--url", url, "--token", "s3cret", "events", "trigger", "-m", "hi"]);
        expect(fromFlag.code).toBe(0);
      },
      { args: ["--trigger-token", "s3cret"] },
    );
  });

  test("exits 1 naming the refused connection when nothing listens", async () => {
    const result = await runCli(["--url", "http://127.0.0.1:1", "events", "trigger", "--message", "hi"]);
    expect(result).toEqual({ code: 1, stdout: "", stderr: "events-cli: events trigger failed: connection refused to http://127.0.0.1:1\n" });
  });

  test("exits 1 when the server does not answer within --timeout", async () => {
    await withSilentServer(async (url) => {
      const started = performance.now();
      const result = await runCli(["--url", url, "--timeout", "300ms", "events", "trigger", "--message", "hi"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`events-cli: events trigger failed: no answer from ${url} within 300ms\n`);
      expect(performance.now() - started).toBeLessThan(5_000);
    });
  });

  test("logs the request and the answer on stderr with --verbose, hiding the token", async () => {
    await withServer(async (url) => {
      const result = await runCli(["--url", url, "--verbose", "events", "trigger", "-m", "hi"], { env: cleanEnv({ EVENTS_TOKEN: "s3cret" }) });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`> POST ${url}/events/trigger`);
      expect(result.stderr).toContain("Authorization: Bearer ***");
      expect(result.stderr).toMatch(/< 200 /);
      expect(result.stderr).not.toContain("s3cret");
    });
  });

  test("ignores a .env file in the directory it runs in", async () => {
    const dir = mkdtempSync(join(tmpdir(), "events-cli-env-"));
    try {
      // Loaded, this would be a usage error (exit 2); ignored, the CLI goes to its default URL.
      writeFileSync(join(dir, ".env"), "EVENTS_URL=ftp://from-dotenv\n");
      const result = await runCli(["--timeout", "1s", "events", "trigger", "-m", "x"], { cwd: dir });
      expect(result.stderr).not.toContain("EVENTS_URL");
      expect(result.code).not.toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
