// Runs the real events server (`bun packages/server/src/runtime/bun.ts`) as a child
// process, through node:child_process so the same test runs on Bun, Deno and Node.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "./wait.ts";

const SERVER_ENTRY = join("packages", "server", "src", "runtime", "bun.ts");
const ROOT_MARKER = join("packages", "client-sdk", "package.json");

/** The repository root, found upward from this file (which moves when tests are bundled for Node). */
export function repoRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(directory, ROOT_MARKER))) return directory;
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`cannot find ${ROOT_MARKER} above ${fileURLToPath(import.meta.url)}`);
    directory = parent;
  }
}

/** A free loopback port: bound to port 0, read, released. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running server process. */
export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  /** Kills the process with SIGKILL (a crash, no graceful shutdown) and waits for it to exit. */
  kill(): Promise<void>;
  /** Output the process wrote, for failure messages. */
  output(): string;
}

/** Starts the server on `port` (a free one by default) and waits until it answers HTTP. */
export async function startServer(port?: number, extraArgs: readonly string[] = []): Promise<ServerProcess> {
  const root = repoRoot();
  const httpPort = port ?? (await freePort());
  const child: ChildProcess = spawn("bun", [join(root, SERVER_ENTRY), "--http-port", String(httpPort), ...extraArgs], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "test" },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Uint8Array) => (output += String(chunk)));
  child.stderr?.on("data", (chunk: Uint8Array) => (output += String(chunk)));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exit.then(() => (exited = true));
  const url = `http://127.0.0.1:${httpPort}`;
  const kill = async (): Promise<void> => {
    if (!exited) child.kill("SIGKILL");
    await exit;
  };
  let up = false;
  const probe = async (): Promise<void> => {
    while (!up && !exited) {
      try {
        const response = await fetch(`${url}/healthz`);
        await response.body?.cancel();
        up = true;
      } catch {
        // Not listening yet: try again shortly (bounded by waitFor below).
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const probing = probe();
  try {
    await waitFor(`the server on port ${httpPort} to answer`, () => up || exited, 30_000);
  } catch (error) {
    await kill();
    throw new Error(`${String(error)}\n${output}`);
  }
  await probing;
  if (!up) throw new Error(`the server exited before answering:\n${output}`);
  return { url, port: httpPort, kill, output: () => output };
}

/** Runs `body` with a started server and always kills the server afterwards. */
export async function withServer<T>(body: (server: ServerProcess) => Promise<T>, extraArgs: readonly string[] = []): Promise<T> {
  const server = await startServer(undefined, extraArgs);
  try {
    return await body(server);
  } finally {
    await server.kill();
  }
}
