/**
 * The compiled server (`bun run build:server` → dist/events-server), put alone in an empty
 * folder and run from there: the page and its assets come from inside the executable, a stream
 * gets a triggered event, flags and their environment twins work, SIGTERM exits 0, and
 * `--broker redis` works (the Redis broker is bundled, not looked up beside the binary).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { copyFileSync, linkSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { openStream, trigger } from "./support/server.ts";
import { repoRoot, within } from "./support/server-process.ts";
import { REDIS_URL, skipWithoutRedis } from "./support/redis.ts";

const webDist = join(repoRoot(), "packages", "web", "dist");

/** A started binary: its URL once it listens, its exit, its output. */
interface BinaryProcess {
  readonly child: ChildProcess;
  readonly url: Promise<URL>;
  readonly exited: Promise<number | string>;
  output(): string;
}

/**
 * Puts the binary alone in a fresh folder (a hard link, or a copy across file systems) and runs
 * it there with only PATH and HOME (no EVENTS_* from the test's environment).
 */
function startBinary(args: readonly string[], env: Record<string, string> = {}): BinaryProcess {
  const folder = mkdtempSync(join(tmpdir(), "events-server-binary-"));
  const binary = join(folder, "events-server");
  try {
    linkSync(built, binary);
  } catch {
    copyFileSync(built, binary);
  }
  const child = spawn(binary, args, {
    cwd: folder,
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: folder, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  void exited.then(() => rmSync(folder, { recursive: true, force: true }));
  const url = new Promise<URL>((resolve, reject) => {
    const onData = (data: Uint8Array): void => {
      output += String(data);
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve(new URL(match[1]));
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((status) => reject(new Error(`events-server exited (${status}) before listening:\n${output}`)));
  });
  url.catch(() => undefined);
  return { child, url, exited, output: () => output };
}

/** Sends `signal` unless the process has exited, then waits for its exit (SIGKILL after 6 s). */
async function stopBinary(server: BinaryProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<number | string> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  try {
    return await within(server.exited, 6000, "events-server to exit");
  } catch {
    server.child.kill("SIGKILL");
    return await server.exited;
  }
}

const redisMissing = await skipWithoutRedis("the compiled server's Redis test");

// Compiles only when a source is newer than the binary: a second run costs nothing.
const build = spawnSync(process.execPath, [join(repoRoot(), "packages/server/scripts/build-binary.ts"), "--if-stale"], {
  cwd: repoRoot(),
  encoding: "utf8",
});
if (build.status !== 0) throw new Error(`bun run build:server failed (${build.status}):\n${build.stdout}${build.stderr}`);
const built = join(repoRoot(), "dist", "events-server");

describe("events-server (the compiled binary, alone in a folder)", () => {
  test("serves the built page and every file it loads from inside the executable", async () => {
    // The environment twins rather than flags: EVENTS_HTTP_PORT and EVENTS_HOST.
    const server = startBinary([], { EVENTS_HTTP_PORT: "0", EVENTS_HOST: "127.0.0.1" });
    try {
      const url = await within(server.url, 15_000, "events-server to print its URL");
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toBe(readFileSync(join(webDist, "index.html"), "utf8"));
      const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
      expect(assets).toEqual(expect.arrayContaining(["main.js", "styles.css"]));
      const types: Record<string, string> = { js: "text/javascript", css: "text/css", svg: "image/svg+xml" };
      for (const asset of assets) {
        const response = await fetch(new URL(asset, url));
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toContain(types[asset.slice(asset.lastIndexOf(".") + 1)] ?? "?");
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array(readFileSync(join(webDist, asset))));
      }
    } finally {
      await stopBinary(server);
    }
  }, 30_000);

  test("delivers a triggered event to a stream, then ends it and exits 0 on SIGTERM", async () => {
    const server = startBinary(["--http-port", "0", "--host", "127.0.0.1", "--trigger-token", "s3cret"]);
    try {
      const url = await within(server.url, 15_000, "events-server to print its URL");
      const stream = await openStream(url);
      expect(stream.response.headers.get("content-type")).toBe("text/event-stream");
      await stream.waitForEvents("connected", 1);
      expect((await trigger(url, "from the binary")).status).toBe(401);
      const answer = await trigger(url, "from the binary", { authorization: "Bearer s3cret" });
      expect(answer.body.clients).toBe(1);
      await stream.waitForEvents("message", 1);
      expect(stream.messages()).toEqual(["from the binary"]);
      server.child.kill("SIGTERM");
      expect(await within(stream.closed, 5000, "the stream to end")).toBe("ended");
      expect(await within(server.exited, 5000, "events-server to exit")).toBe(0);
    } finally {
      await stopBinary(server);
    }
  }, 30_000);

  test("lists every flag with its environment twin on --help and exits 0", async () => {
    const server = startBinary(["--help"]);
    expect(await within(server.exited, 15_000, "--help to exit")).toBe(0);
    for (const text of ["--http-port", "EVENTS_HTTP_PORT", "--web-root", "EVENTS_WEB_ROOT", "--broker", "REDIS_URL"]) {
      expect(server.output()).toContain(text);
    }
  }, 30_000);

  test.skipIf(redisMissing)("shares one Redis stream between two binaries (--broker redis is bundled)", async () => {
    const streamKey = `events:test:binary:${Date.now()}:${Math.random().toString(36).slice(2)}`;
    const flags = ["--http-port", "0", "--host", "127.0.0.1", "--broker", "redis", "--redis-url", REDIS_URL, "--redis-stream-key", streamKey];
    const nodeA = startBinary(flags);
    const nodeB = startBinary(flags);
    try {
      const [urlA, urlB] = await within(Promise.all([nodeA.url, nodeB.url]), 15_000, "both binaries to print their URLs");
      const stream = await openStream(urlA);
      await stream.waitForEvents("connected", 1);
      expect((await trigger(urlB, "through redis")).status).toBe(200);
      await stream.waitForEvents("message", 1);
      expect(stream.messages()).toEqual(["through redis"]);
      stream.close();
    } finally {
      await Promise.all([stopBinary(nodeA, "SIGTERM"), stopBinary(nodeB, "SIGTERM")]);
    }
  }, 30_000);
});
