/**
 * The real events server for the e2e tests: the server package's `createApp`, served
 * in-process by `Bun.serve` on an ephemeral loopback port, with this package's built page
 * (`dist/`) at `/`.
 */
import { fileURLToPath } from "node:url";
import { createApp } from "@events/server";

/** The built page (`bun run build` writes it; the `test` script builds first). */
const WEB_ROOT = fileURLToPath(new URL("../dist/", import.meta.url));

/** Reconnection delay the server announces, short so drop-and-resume tests run fast. */
const TEST_RETRY_MS = 200;

/** A running server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  /** Triggers a message through `POST /events/trigger` (with the token, if any) and returns its event id. */
  trigger(message: string): Promise<string>;
}

/** Options of {@link withServer}. */
export interface TestServerOptions {
  /** Require this bearer token on triggers. @default undefined (no token) */
  readonly triggerToken?: string;
  /** Events the server keeps for replay. @default the server's default */
  readonly historySize?: number;
}

/** Starts a server, runs `body`, and always stops the server (streams end, then sockets close). */
export async function withServer<T>(options: TestServerOptions, body: (server: TestServer) => Promise<T>): Promise<T> {
  const shutdown = new AbortController();
  const app = await createApp({
    webRoot: WEB_ROOT,
    retryMs: TEST_RETRY_MS,
    triggerToken: options.triggerToken ?? false,
    ...(options.historySize === undefined ? {} : { historySize: options.historySize }),
    signal: shutdown.signal,
  });
  // idleTimeout 0: an open event stream must never be cut by Bun's idle timer.
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 0, fetch: (request) => app.fetch(request) });
  const url = `http://127.0.0.1:${server.port}/`;
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (options.triggerToken) headers.Authorization = `Bearer ${options.triggerToken}`;
  try {
    return await body({
      url,
      port: server.port ?? 0,
      async trigger(message: string): Promise<string> {
        const response = await fetch(new URL("events/trigger", url), { method: "POST", headers, body: JSON.stringify({ message }) });
        if (!response.ok) throw new Error(`trigger failed: ${response.status} ${await response.text()}`);
        const { id } = (await response.json()) as { id: string };
        return id;
      },
    });
  } finally {
    shutdown.abort();
    await server.stop(true);
  }
}
