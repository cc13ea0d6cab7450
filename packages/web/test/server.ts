/**
 * The real events server for the e2e tests: the server package's shared in-process helper
 * (its Bun entry's `startBunServer` on an ephemeral loopback port), with this package's
 * built page (`dist/`) at `/`.
 */
import { fileURLToPath } from "node:url";
import { withServer as withEventsServer } from "../../server/test/support/server.ts";

/** The built page (`bun run build` writes it; the `test` script builds first). */
const WEB_ROOT = fileURLToPath(new URL("../dist/", import.meta.url));

/** Reconnection delay the server announces, short so drop-and-resume tests run fast. */
const TEST_RETRY_MS = 200;

/** A running server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  /** Triggers a message through `POST /events/trigger` (with the token, if any) to `topic` (default: the default topic) and returns its event id. */
  trigger(message: string, topic?: string): Promise<string>;
}

/** Options of {@link withServer}. */
export interface TestServerOptions {
  /** Require this bearer token on triggers. @default undefined (no token) */
  readonly triggerToken?: string;
  /** Events the server keeps for replay. @default the server's default */
  readonly historySize?: number;
  /** Turns JWT auth on: HS256 tokens signed with this secret (32 bytes or more). @default undefined (open server) */
  readonly jwtSecret?: string;
  /** Accept `?access_token=` (the page's Token field). @default false */
  readonly allowQueryToken?: boolean;
}

/** Starts a server, runs `body`, and always stops the server (streams end, then sockets close). */
export async function withServer<T>(options: TestServerOptions, body: (server: TestServer) => Promise<T>): Promise<T> {
  const serverOptions = {
    webRoot: WEB_ROOT,
    retryMs: TEST_RETRY_MS,
    triggerToken: options.triggerToken ?? (false as const),
    ...(options.historySize === undefined ? {} : { historySize: options.historySize }),
    ...(options.jwtSecret === undefined ? {} : { jwtSecret: options.jwtSecret }),
    ...(options.allowQueryToken === undefined ? {} : { allowQueryToken: options.allowQueryToken }),
  };
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (options.triggerToken) headers.Authorization = `Bearer ${options.triggerToken}`;
  return await withEventsServer(serverOptions, (url) =>
    body({
      url: url.href,
      port: Number(url.port),
      async trigger(message: string, topic?: string): Promise<string> {
        const body = JSON.stringify(topic === undefined ? { message } : { message, topic });
        const response = await fetch(new URL("events/trigger", url), { method: "POST", headers, body });
        if (!response.ok) throw new Error(`trigger failed: ${response.status} ${await response.text()}`);
        const { id } = (await response.json()) as { id: string };
        return id;
      },
    }),
  );
}
