// Test helpers for the end-to-end tests: run the COMPILED binary, start a real server,
// and put a TCP proxy between them that can cut connections.
import { existsSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { resolve } from "node:path";
import { withServerProcess } from "../../../packages/server/test/support/server-process.ts";

const CLI_DIR = resolve(import.meta.dir, "..");
/** The binary under test, written by `bun run build:cli`. */
export const CLI_BINARY: string = resolve(CLI_DIR, "dist/events-cli");
/** The server the tests start; EVENTS_CLI_TEST_SERVER points them at another entry taking `--http-port`. */
const SERVER_ENTRY = process.env.EVENTS_CLI_TEST_SERVER ?? resolve(CLI_DIR, "../../packages/server/src/runtime/bun.ts");

/** Fails clearly when the binary was not built (the package's `test` script builds it first). */
export function requireBinary(): string {
  if (!existsSync(CLI_BINARY)) throw new Error(`${CLI_BINARY} is missing: run "bun run build:cli" (the package's test script does)`);
  return CLI_BINARY;
}

/** An environment with nothing from the caller's EVENTS_* or colour settings leaking in. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...extra };
}

/** What a finished run of the binary printed and how it exited. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the binary to completion (killed after `timeoutMs`). */
export async function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number; cwd?: string; stdin?: string } = {},
): Promise<CliResult> {
  const child = spawnCli(args, options.env, options.cwd, options.stdin);
  const code = await child.exited(options.timeoutMs ?? 15_000);
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

/** A running binary whose output can be awaited line by line. */
export interface CliProcess {
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** The complete stdout lines so far. */
  lines(): string[];
  /** Resolves once `predicate` holds for stdout's lines; rejects after `timeoutMs` with what was printed. */
  waitFor(predicate: (lines: string[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  /** The exit status; the process is killed (and this rejects) if it runs past `timeoutMs`. */
  exited(timeoutMs?: number): Promise<number>;
}

/** Starts the binary in the background, with `stdin` as its standard input (none when undefined). */
export function spawnCli(args: readonly string[], env: Record<string, string> = cleanEnv(), cwd?: string, stdin?: string): CliProcess {
  const child = Bun.spawn([requireBinary(), ...args], {
    env,
    cwd: cwd ?? process.cwd(),
    stdin: stdin === undefined ? "ignore" : new Blob([stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  let err = "";
  const waiters = new Set<() => void>();
  const pump = async (stream: ReadableStream<Uint8Array>, append: (text: string) => void): Promise<void> => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      append(decoder.decode(chunk, { stream: true }));
      for (const wake of waiters) wake();
    }
  };
  const pumped = Promise.all([
    pump(child.stdout, (text) => {
      out += text;
    }),
    pump(child.stderr, (text) => {
      err += text;
    }),
  ]);
  const lines = (): string[] => out.split("\n").slice(0, -1);
  return {
    pid: child.pid,
    stdout: () => out,
    stderr: () => err,
    lines,
    waitFor(predicate, what, timeoutMs = 10_000) {
      return new Promise((resolvePromise, reject) => {
        const check = (): void => {
          if (!predicate(lines())) return;
          cleanup();
          resolvePromise();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        void child.exited.then(() => setTimeout(check, 0));
        check();
      });
    },
    kill: (signal) => child.kill(signal),
    async exited(timeoutMs = 15_000) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`events-cli ${args.join(" ")} still running after ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
      });
      try {
        const code = await Promise.race([child.exited, timeout]);
        await pumped;
        return code;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Options of {@link withServer}. */
export interface ServerOptions {
  /** Extra server flags, e.g. `["--trigger-token", "t"]`. */
  readonly args?: readonly string[];
}

/**
 * Runs `body` against a real server process (`packages/server/src/runtime/bun.ts` on an
 * ephemeral loopback port, `retry:` 200 ms so resumes are quick), stopped afterwards with
 * SIGTERM (SIGKILL after 6 s). The server package's shared helper does the spawning.
 */
export async function withServer<T>(body: (url: string) => Promise<T>, options: ServerOptions = {}): Promise<T> {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: the server package provides it`);
  return await withServerProcess(
    {
      entry: SERVER_ENTRY,
      args: ["--http-port", "0", "--host", "127.0.0.1", "--retry", "200", ...(options.args ?? [])],
      inheritEnv: false,
    },
    (server) => body(server.listening.origin),
  );
}

/** A TCP proxy in front of `targetUrl` that can cut every open connection at once. */
export interface CuttingProxy {
  readonly url: string;
  /** How many client connections it has accepted. */
  readonly accepted: number;
  /** Destroys every open connection (both sides), like a network drop. */
  cutAll(): void;
}

/** Runs `body` with a {@link CuttingProxy} to `targetUrl`, closed afterwards. */
export async function withProxy<T>(targetUrl: string, body: (proxy: CuttingProxy) => Promise<T>): Promise<T> {
  const target = new URL(targetUrl);
  const open = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted += 1;
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no port");
  const proxy: CuttingProxy = {
    url: `http://127.0.0.1:${address.port}`,
    get accepted() {
      return accepted;
    },
    cutAll() {
      for (const socket of open) socket.destroy();
    },
  };
  try {
    return await body(proxy);
  } finally {
    proxy.cutAll();
    await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  }
}

/** Runs `body` with a server that accepts connections and never answers (for `--timeout`). */
export async function withSilentServer<T>(body: (url: string) => Promise<T>): Promise<T> {
  const open = new Set<Socket>();
  const server = createServer((socket) => {
    open.add(socket);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => open.delete(socket));
  });
  await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("silent server has no port");
  try {
    return await body(`http://127.0.0.1:${address.port}`);
  } finally {
    for (const socket of open) socket.destroy();
    await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  }
}

/** Runs `body` with a server that answers an event stream and then sends one line that never ends. */
export async function withEndlessLineServer<T>(body: (url: string) => Promise<T>): Promise<T> {
  const open = new Set<Socket>();
  const server = createServer((socket) => {
    open.add(socket);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => open.delete(socket));
    socket.once("data", () => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: ");
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      // 64 MiB at most, as fast as the client reads: far past any sane event.
      const pump = (): void => {
        while (sent < 1024 && !socket.destroyed) {
          sent += 1;
          if (!socket.write(chunk)) return void socket.once("drain", pump);
        }
      };
      pump();
    });
  });
  await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("endless-line server has no port");
  try {
    return await body(`http://127.0.0.1:${address.port}`);
  } finally {
    for (const socket of open) socket.destroy();
    await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  }
}

/** POSTs a trigger straight to the server (not through the CLI), returning the event id. */
export async function trigger(url: string, message: string): Promise<string> {
  const response = await fetch(`${url}/events/trigger`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message }),
  });
  if (!response.ok) throw new Error(`trigger failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { id: string };
  return body.id;
}
