// The real events server as a child process, for the e2e tests on Bun, Deno and Node: the
// server package's shared helper (packages/server/test/support/server-process.ts), on a
// port of the test's choosing so a test can restart the server where it was.
import { join } from "node:path";
import { repoRoot, startServerProcess } from "../../../server/test/support/server-process.ts";
import { freePort } from "../../../server/test/support/free-port.ts";

export { repoRoot } from "../../../server/test/support/server-process.ts";
export { freePort };

/** A running server process. */
export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Kills the process with SIGKILL (a crash, no graceful shutdown) and waits for it to exit. */
  kill(): Promise<void>;
  /** Output the process wrote, for failure messages. */
  output(): string;
}

/** Starts the server on 127.0.0.1:`port` (a free one by default) and resolves once it listens. */
export async function startServer(port?: number, extraArgs: readonly string[] = []): Promise<ServerProcess> {
  const httpPort = port ?? (await freePort());
  const server = await startServerProcess({
    args: ["--http-port", String(httpPort), "--host", "127.0.0.1", ...extraArgs],
    env: { NODE_ENV: "test" },
  });
  return {
    url: server.listening.origin,
    port: httpPort,
    kill: async () => void (await server.stop("SIGKILL")),
    output: server.output,
  };
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

/**
 * Runs `body` with the shop app (test/fixtures/shop-app.ts: a host app with the events plugin
 * under `/live` and a contract of its own) served by Bun on a free port, and stops it afterwards.
 */
export async function withShopServer<T>(body: (url: string) => Promise<T>): Promise<T> {
  const server = await startServerProcess({
    entry: join(repoRoot(), "packages", "client-sdk", "test", "fixtures", "shop-server.ts"),
    args: ["--http-port", String(await freePort()), "--host", "127.0.0.1"],
    env: { NODE_ENV: "test" },
  });
  try {
    return await body(server.listening.origin);
  } finally {
    await server.stop("SIGKILL");
  }
}
