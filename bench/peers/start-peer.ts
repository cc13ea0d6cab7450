/**
 * Starts one peer as its own process on a free loopback port, waits until it accepts
 * connections, and says which pid to measure and where to publish and subscribe.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureNchan, nchanCommand, nchanWorkerPid } from "./nchan.ts";

const REPO = resolve(import.meta.dir, "..", "..");

/** The systems compared. */
export type PeerName = "ours" | "minimal-bun" | "elysia-generator" | "better-sse" | "nchan" | "elysia-post";

/** How each peer is shown in the results. */
export const PEER_LABELS: Readonly<Record<PeerName, string>> = {
  ours: "ours (@events/server)",
  "minimal-bun": "minimal Bun.serve broadcaster",
  "elysia-generator": "Elysia sse() generator",
  "better-sse": "better-sse on Node http",
  nchan: "Nchan (nginx)",
  "elysia-post": "bare Elysia POST route",
};

/** The peer the targets compare against: the practical limit for JavaScript on Bun. */
export const BASELINE_PEER: PeerName = "minimal-bun";

/** A running peer. */
export interface RunningPeer {
  readonly name: PeerName;
  readonly port: number;
  /** The process doing the work (the nginx worker for Nchan). */
  readonly pid: number;
  readonly streamPath: string;
  readonly publishPath: string;
  /** Kills the process (and waits for it, bounded). */
  stop(): Promise<void>;
}

/** Options of {@link startPeer}. */
export interface StartPeerOptions {
  /** Connections the peer must accept at once. */
  readonly maxConnections: number;
  /** Called with progress lines. */
  readonly log: (line: string) => void;
  /** More command-line flags for ours (e.g. `--broker redis`); the others take none. @default none */
  readonly args?: readonly string[];
}

async function freePort(): Promise<number> {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const { port } = listener;
  listener.stop(true);
  return port;
}

async function waitForPort(port: number, child: Bun.Subprocess, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with status ${child.exitCode} before listening`);
    try {
      const socket = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
      socket.end();
      return;
    } catch {
      await Bun.sleep(50);
    }
  }
  throw new Error(`did not listen on ${port} within ${timeoutMs} ms`);
}

function command(name: PeerName, port: number, maxConnections: number, nginx: string | undefined, dir: string, args: readonly string[]): string[] {
  const peer = (file: string): string => join(REPO, "bench", "peers", file);
  switch (name) {
    case "ours":
      return [
        "bun",
        join(REPO, "packages", "server", "src", "runtime", "bun.ts"),
        "--http-port",
        String(port),
        "--host",
        "127.0.0.1",
        "--max-clients",
        String(maxConnections),
        // No peer writes a line per request; ours would by default (info). Its cost is measured
        // on its own in bench/NOTES.md ("Request logs").
        "--log-level",
        "warn",
        ...args,
      ];
    case "minimal-bun":
      return ["bun", peer("minimal-bun.ts"), "--port", String(port)];
    case "elysia-generator":
      return ["bun", peer("elysia-generator.ts"), "--port", String(port)];
    case "elysia-post":
      return ["bun", peer("elysia-post.ts"), "--port", String(port)];
    case "better-sse":
      return ["node", peer("better-sse-node.mjs"), "--port", String(port)];
    case "nchan":
      return nchanCommand(nginx as string, dir, port, maxConnections);
  }
}

/** Starts `name`; throws with a one-line reason if it cannot (Nchan not installable, crash, no listen). */
export async function startPeer(name: PeerName, options: StartPeerOptions): Promise<RunningPeer> {
  let nginx: string | undefined;
  if (name === "nchan") {
    const available = ensureNchan(options.log);
    if (!available.ok) throw new Error(available.reason);
    nginx = available.nginx;
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const child = Bun.spawn(command(name, port, options.maxConnections, nginx, dir, options.args ?? []), {
    cwd: REPO,
    stdout: "ignore",
    stderr: Bun.file(join(dir, "stderr.log")),
  });
  const lastError = async (): Promise<string> => {
    const text = await Bun.file(join(dir, "stderr.log")).text().catch(() => "");
    const line = text.trim().split("\n").at(-1);
    return line ? ` (stderr: ${line})` : "";
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      // nginx: SIGQUIT is its graceful stop; Nchan 1.3.6 aborts on SIGTERM at exit (harmless, noisy).
      child.kill(name === "nchan" ? "SIGQUIT" : "SIGTERM");
      const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(5000).then(() => false)]);
      if (!exited) {
        child.kill("SIGKILL");
        await child.exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, 15_000);
    const pid = name === "nchan" ? await nchanWorkerPid(child.pid) : child.pid;
    const paths: Record<PeerName, [string, string]> = {
      ours: ["/events/stream", "/events/trigger"],
      "minimal-bun": ["/stream", "/publish"],
      "elysia-generator": ["/stream", "/publish"],
      "better-sse": ["/stream", "/publish"],
      nchan: ["/sub", "/pub"],
      "elysia-post": ["/stream", "/events/trigger"],
    };
    const [streamPath, publishPath] = paths[name];
    return { name, port, pid, streamPath, publishPath, stop };
  } catch (error) {
    const stderr = await lastError();
    await stop();
    throw new Error(`${PEER_LABELS[name]}: ${error instanceof Error ? error.message : String(error)}${stderr}`);
  }
}
