/**
 * Starts real server processes (the Bun or Deno entry, through the server package's shared
 * `test/support/server-process.ts`) on ephemeral loopback ports, and talks to them: trigger,
 * health, and SSE streams parsed with sse-core's parser.
 */
import { spawnSync } from "node:child_process";
import { createParser, type SseMessage } from "@events/sse-core";
import { Changes } from "../../../server/test/support/changes.ts";
import { startServerProcess } from "../../../server/test/support/server-process.ts";

/** Whether a `deno` binary is on the PATH (for nodes on the Deno entry). */
export const DENO_AVAILABLE: boolean = spawnSync("deno", ["--version"], { timeout: 10_000 }).status === 0;

/** One running server node. */
export interface ServerNode {
  readonly url: string;
  /** SIGKILLs the process and waits for it to exit. */
  kill(): Promise<void>;
}

/** How to start a node. */
export interface ServerNodeOptions {
  readonly redisUrl: string;
  /** `--history N`: the broker's `historySize`. */
  readonly historySize?: number;
  /** Which entry runs the node. @default "bun" */
  readonly runtime?: "bun" | "deno";
}

/**
 * Starts a node through the server package's shared helper, then waits until its
 * `/healthz` says the broker reached Redis (a figure with no event to await: polled).
 */
async function startNode(options: ServerNodeOptions): Promise<ServerNode> {
  const flags = ["--broker", "redis", "--redis-url", options.redisUrl, "--http-port", "0", "--host", "127.0.0.1"];
  if (options.historySize !== undefined) flags.push("--history", String(options.historySize));
  const server = await startServerProcess({ runtime: options.runtime ?? "bun", args: flags }, 60_000);
  const url = server.listening.origin;
  const node: ServerNode = { url, kill: async () => void (await server.stop("SIGKILL")) };
  try {
    await waitUntil(
      async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200,
      20_000,
      `the server at ${url} to be healthy (output: ${server.output().slice(-300)})`,
    );
  } catch (error) {
    await node.kill();
    throw error;
  }
  return node;
}

/** Resolves once the async `condition` holds; fails after `timeoutMs`. */
export async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `body` with `count` server nodes on one Redis stream; kills them afterwards. */
export async function withNodes<T>(
  count: number,
  options: ServerNodeOptions,
  body: (nodes: ServerNode[]) => Promise<T>,
  runtimes: readonly ("bun" | "deno")[] = [],
): Promise<T> {
  const started: ServerNode[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      const runtime = runtimes[index];
      started.push(await startNode(runtime === undefined ? options : { ...options, runtime }));
    }
    return await body(started);
  } finally {
    await Promise.all(started.map((node) => node.kill()));
  }
}

/** `POST /events/trigger` (with extra request headers, e.g. `Idempotency-Key`): the HTTP status and the JSON body. */
export async function trigger(
  node: ServerNode,
  message: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { id?: string; error?: { code: string; message?: string } } }> {
  const response = await fetch(`${node.url}/events/trigger`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ message }),
  });
  return { status: response.status, body: (await response.json()) as { id?: string; error?: { code: string; message?: string } } };
}

/** Triggers `message` and returns the stored event's id; fails on anything but 200. */
export async function triggerOk(node: ServerNode, message: string): Promise<string> {
  const { status, body } = await trigger(node, message);
  if (status !== 200 || body.id === undefined) throw new Error(`trigger answered ${status}: ${JSON.stringify(body)}`);
  return body.id;
}

/** An open `GET /events/stream`, recording every event. */
export interface StreamClient {
  readonly events: SseMessage[];
  /** The ids of the `message` events, in arrival order. */
  messageIds(): string[];
  /** True once the response ended (server gone or closed it). */
  readonly ended: boolean;
  /** Resolves once `condition` holds, checked after each event and at the end; rejects after `timeoutMs`. */
  until(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Opens a stream on `node` (optionally resuming after `lastEventId`) and waits for its `connected` event. */
export async function openStream(node: ServerNode, lastEventId?: string): Promise<StreamClient> {
  const controller = new AbortController();
  const events: SseMessage[] = [];
  let ended = false;
  const response = await fetch(`${node.url}/events/stream`, {
    headers: lastEventId === undefined ? {} : { "last-event-id": lastEventId },
    signal: controller.signal,
  });
  if (response.status !== 200 || response.body === null) throw new Error(`stream answered ${response.status}`);
  const changes = new Changes();
  const parser = createParser({
    onEvent: (event) => {
      events.push(event);
      changes.notify();
    },
  });
  const reader = response.body.getReader();
  void (async (): Promise<void> => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
    } catch {
      // Aborted by close(), or the server died: either way the stream ended.
    } finally {
      ended = true;
      changes.notify();
    }
  })();
  const client: StreamClient = {
    events,
    messageIds: () => events.filter((event) => event.type === "message").map((event) => event.lastEventId),
    get ended() {
      return ended;
    },
    until: (condition, what, timeoutMs = 10_000) => changes.until(condition, what, timeoutMs),
    close: () => controller.abort(),
  };
  await client.until(() => events.some((event) => event.type === "connected") || ended, "the connected event");
  return client;
}
