/**
 * Test support shared by every package whose tests run the real server as a process (the
 * server's own, client-sdk's, the CLI's): spawns the Bun or Deno entry, resolves the URL it
 * prints once it listens, and stops it. Only `node:` APIs, so it runs under Bun, Deno and
 * Node alike; the entries are found by walking up from this file, which moves when a test is
 * bundled for Node (scripts/node-tests.ts).
 * For a server in the test's own process, see `server.ts` (`withServer`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Which entry runs the server: `src/runtime/bun.ts`, or `deno task server` (`src/runtime/deno.ts`). */
export type ServerRuntime = "bun" | "deno";

/** How to spawn a server. Every field is optional. */
export interface ServerProcessOptions {
  /** The runtime entry. @default "bun" */
  readonly runtime?: ServerRuntime;
  /** Flags after the entry, e.g. `["--http-port", "0", "--host", "127.0.0.1"]`. @default none */
  readonly args?: readonly string[];
  /** Variables added to the environment. @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** Inherit the test's environment (else only `PATH` and `HOME`, so no `EVENTS_*` leaks in). @default true */
  readonly inheritEnv?: boolean;
  /** Another Bun entry taking the same flags (e.g. a built server). @default packages/server/src/runtime/bun.ts */
  readonly entry?: string;
}

/** A spawned server. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** Resolves with the URL the server printed (`listening on <url>`); rejects if it exits first. */
  readonly url: Promise<URL>;
  /** Resolves with the exit code (or the signal's name) once the process exits. */
  readonly exited: Promise<number | string>;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /**
   * Sends `signal` (SIGKILL: a crash) unless the process has exited, and resolves with its exit
   * status; after `graceMs` it is killed with SIGKILL. Safe to call more than once.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | string>;
}

const MARKER = join("packages", "server", "package.json");

/** The repository root, found upward from this file (which moves when tests are bundled for Node). */
export function repoRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(directory, MARKER))) return directory;
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`cannot find ${MARKER} above ${fileURLToPath(import.meta.url)}`);
    directory = parent;
  }
}

/** The `bun` to run: this one when the test runs on Bun, else the one on PATH. */
function bunBinary(): string {
  const runtime = globalThis.process?.execPath ?? "";
  return /bun(\.exe)?$/.test(runtime) ? runtime : "bun";
}

function command(options: ServerProcessOptions, serverDir: string): [string, string[]] {
  const args = options.args ?? [];
  if (options.runtime === "deno") return ["deno", ["task", "server", ...args]];
  return [bunBinary(), [options.entry ?? join(serverDir, "src", "runtime", "bun.ts"), ...args]];
}

/**
 * Spawns the server and watches its output for `listening on <url>`. Nothing is awaited
 * here: await `url` (bounded with {@link within}) before talking to it.
 * @example
 * const server = spawnServer({ args: ["--http-port", "0", "--host", "127.0.0.1"] });
 * const url = await within(server.url, 15_000, "the server to listen");
 * await server.stop("SIGTERM");
 */
export function spawnServer(options: ServerProcessOptions = {}): ServerProcess {
  const serverDir = join(repoRoot(), "packages", "server");
  const [file, args] = command(options, serverDir);
  const base = options.inheritEnv === false ? { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: process.env["HOME"] ?? "/tmp" } : process.env;
  const child = spawn(file, args, { cwd: serverDir, env: { ...base, NO_COLOR: "1", ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? -1));
  });
  const url = new Promise<URL>((resolve, reject) => {
    const onData = (data: Uint8Array): void => {
      output += String(data);
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve(new URL(match[1]));
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((status) => reject(new Error(`the server exited (${status}) before listening:\n${output}`)));
  });
  url.catch(() => undefined);
  let done = false;
  void exited.then(() => (done = true));
  const stop = async (signal: NodeJS.Signals = "SIGKILL", graceMs = 6000): Promise<number | string> => {
    if (!done) send(child, signal);
    if (signal === "SIGKILL") return await exited;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    try {
      await Promise.race([exited, late]);
    } finally {
      clearTimeout(timer);
    }
    if (!done) send(child, "SIGKILL");
    return await exited;
  };
  return { child, url, exited, output: () => output, stop };
}

/** `process.kill` rather than `child.kill`: Deno 2.9.6's `child.kill` drops every signal after the first. */
function send(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(child.pid, signal);
  } catch {
    // Exited between the check and the signal: nothing left to stop.
  }
}

/** A server that printed its URL. */
export interface RunningServerProcess extends ServerProcess {
  /** Where it listens, e.g. `http://127.0.0.1:41234/`. */
  readonly listening: URL;
}

/**
 * Spawns the server and resolves once it listens; kills it and rejects (with its output)
 * when it exits first or prints no URL within `timeoutMs`.
 */
export async function startServerProcess(options: ServerProcessOptions = {}, timeoutMs = 30_000): Promise<RunningServerProcess> {
  const server = spawnServer(options);
  try {
    const listening = await within(server.url, timeoutMs, "the server to print its URL");
    return { ...server, listening };
  } catch (error) {
    await server.stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${server.output()}`, { cause: error });
  }
}

/**
 * Runs `body` against a started server process and always stops it afterwards: with
 * SIGTERM (a graceful shutdown, SIGKILL after 6 s) or, with `stopSignal: "SIGKILL"`, a crash.
 */
export async function withServerProcess<T>(
  options: ServerProcessOptions & { readonly stopSignal?: NodeJS.Signals },
  body: (server: RunningServerProcess) => Promise<T>,
): Promise<T> {
  const server = await startServerProcess(options);
  try {
    return await body(server);
  } finally {
    await server.stop(options.stopSignal ?? "SIGTERM");
  }
}

/** Resolves with the promise's value, or rejects after `ms` naming `what`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
