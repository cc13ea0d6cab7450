/**
 * Test support: the real server as a child process (Bun or Deno entry), its printed URL,
 * and its exit.
 */
import { type ChildProcess, spawn } from "node:child_process";

const SERVER_DIR = decodeURIComponent(new URL("../../", import.meta.url).pathname);

/** A spawned server. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the URL the server printed. */
  readonly url: Promise<URL>;
  /** Resolves with the exit code (or the signal name) once it exits. */
  readonly exited: Promise<number | string>;
}

/** Spawns `command args` in packages/server and watches for "listening on <url>". */
export function spawnServer(command: string, args: readonly string[], env: Record<string, string> = {}): ServerProcess {
  const child = spawn(command, [...args], {
    cwd: SERVER_DIR,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = new Promise<URL>((resolve, reject) => {
    const onData = (data: Buffer): void => {
      output += data.toString("utf8");
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve(new URL(match[1]));
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", () => reject(new Error(`server exited before listening:\n${output}`)));
  });
  url.catch(() => undefined);
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal ?? -1));
  });
  return { child, output: () => output, url, exited };
}

/** Resolves with the promise's value, or rejects after `ms` naming `what`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
