/**
 * Starts a private `redis-server` (no persistence) on a spare loopback port, so fault tests
 * may kill and restart it without touching the shared Redis.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { freePort } from "../../../server/test/support/free-port.ts";

/** Whether a `redis-server` binary is on the PATH. */
export const REDIS_SERVER_AVAILABLE: boolean = spawnSync("redis-server", ["--version"], { timeout: 5000 }).status === 0;

/** A private Redis: its URL, and kill/restart for fault injection. */
export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** SIGKILLs the server and waits for it to exit (it loses all data: no persistence). */
  kill(): Promise<void>;
  /** Starts a new, empty server on the same port and waits until it answers. */
  restart(): Promise<void>;
  /**
   * SIGSTOPs the server: its connections stay open and take commands (the kernel buffers
   * them), but nothing is answered until {@link thaw}, which then runs what was buffered.
   */
  freeze(): void;
  /** SIGCONTs a frozen server. */
  thaw(): void;
}

/** A loopback TCP port nobody listens on right now. */
export const sparePort: () => Promise<number> = freePort;

function ping(port: number): boolean {
  const result = spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8", timeout: 2000 });
  return result.status === 0 && result.stdout.trim() === "PONG";
}

async function start(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
    { stdio: "ignore" },
  );
  const deadline = Date.now() + 10_000;
  while (!ping(port)) {
    if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited with ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server on port ${port} did not answer within 10 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  await exited;
}

function signal(child: ChildProcess, name: "SIGSTOP" | "SIGCONT"): void {
  if (child.pid !== undefined) process.kill(child.pid, name);
}

/** Runs `body` with a private Redis; it is killed afterwards whatever happens. */
export async function withPrivateRedis<T>(body: (redis: PrivateRedis) => Promise<T>): Promise<T> {
  const port = await sparePort();
  let child = await start(port);
  try {
    return await body({
      url: `redis://127.0.0.1:${port}`,
      port,
      kill: () => stop(child),
      restart: async () => {
        await stop(child);
        child = await start(port);
      },
      // process.kill, not child.kill: in Deno 2.9.6 a child's kill() sends nothing after its
      // first signal (it returns false), so SIGCONT and the final SIGKILL would be dropped.
      freeze: () => signal(child, "SIGSTOP"),
      thaw: () => signal(child, "SIGCONT"),
    });
  } finally {
    await stop(child);
  }
}
