// The real server (packages/server/src/runtime/bun.ts) on a free loopback port, as a child
// process, for the apps' smoke programs; stopped with SIGTERM (its graceful shutdown).
import { createServer } from "node:net";
import { join } from "node:path";

export interface LiveServer {
  readonly baseUrl: string;
  /** Everything the server printed, for a failure report. */
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
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

async function collect(stream: ReadableStream<Uint8Array>, into: string[]): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) into.push(decoder.decode(chunk, { stream: true }));
}

/** Starts the server and resolves once `/healthz` answers 200 (at most 15 s). */
export async function startLiveServer(root: string): Promise<LiveServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const printed: string[] = [];
  const child = Bun.spawn(["bun", join(root, "packages/server/src/runtime/bun.ts"), "--http-port", String(port), "--host", "127.0.0.1"], {
    cwd: root,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1" },
  });
  void collect(child.stdout, printed);
  void collect(child.stderr, printed);
  const stop = async (): Promise<void> => {
    child.kill("SIGTERM");
    const exited = await Promise.race([child.exited, Bun.sleep(6_000).then(() => undefined)]);
    if (exited === undefined) child.kill("SIGKILL");
  };
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const answer = await fetch(`${baseUrl}/healthz`).catch(() => undefined);
    if (answer?.status === 200) return { baseUrl, output: () => printed.join(""), stop };
    await Bun.sleep(100);
  }
  await stop();
  throw new Error(`the server did not answer /healthz on ${baseUrl}:\n${printed.join("")}`);
}
