/**
 * Closed-loop HTTP/1.1 load over raw TCP (`Bun.connect`): `concurrency` keep-alive connections,
 * each sending the same request again as soon as the previous answer is complete. Cheaper per
 * request than `fetch`, so more of the two cores is left to the server being measured.
 * Answers must carry `Content-Length` (every peer's JSON answer does).
 */
import type { Socket } from "bun";

const HEADER_END = Buffer.from("\r\n\r\n");
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)/i;

/** Options of {@link runHttpLoad}. */
export interface HttpLoadOptions {
  readonly host: string;
  readonly port: number;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Connections, each with one request in flight. */
  readonly concurrency: number;
  /** How long to keep sending, in ms. */
  readonly durationMs: number;
}

/** What {@link runHttpLoad} measured. */
export interface HttpLoadResult {
  /** Answers with a 2xx status. */
  readonly ok: number;
  /** Other answers, unparsable answers and connection errors. */
  readonly errors: number;
  readonly elapsedMs: number;
  /** ok / elapsed seconds. */
  readonly requestsPerSecond: number;
  /** 2xx answers including those of the requests in flight when the window ended (every request the server took). */
  readonly okIncludingInFlight: number;
}

interface ConnectionState {
  buffer: Buffer | undefined;
  done: boolean;
}

/** Runs the load for `durationMs` and reports the answers counted in that window. */
export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const headerLines = Object.entries({ ...options.headers, "content-length": String(Buffer.byteLength(options.body)) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  const request = Buffer.from(
    `${options.method} ${options.path} HTTP/1.1\r\nHost: ${options.host}:${options.port}\r\n${headerLines}\r\n${options.body}`,
  );
  let ok = 0;
  let errors = 0;
  let stopping = false;
  const finished = Promise.withResolvers<void>();
  let live = 0;
  const release = (state: ConnectionState): void => {
    if (state.done) return;
    state.done = true;
    live -= 1;
    if (live === 0) finished.resolve();
  };
  const onData = (socket: Socket<ConnectionState>, chunk: Buffer): void => {
    const state = socket.data;
    let buffer = state.buffer === undefined ? chunk : Buffer.concat([state.buffer, chunk]);
    // One request in flight per connection, but read in a loop in case answers coalesce.
    for (;;) {
      const end = buffer.indexOf(HEADER_END);
      if (end === -1) break;
      const head = buffer.subarray(0, end).toString("latin1");
      const length = CONTENT_LENGTH.exec(head);
      if (length?.[1] === undefined) {
        errors += 1;
        socket.end();
        release(state);
        return;
      }
      const total = end + 4 + Number(length[1]);
      if (buffer.length < total) break;
      if (head.charCodeAt(9) === 50) ok += 1;
      else errors += 1;
      buffer = buffer.subarray(total);
      if (stopping) {
        socket.end();
        release(state);
        return;
      }
      socket.write(request);
    }
    state.buffer = buffer.length === 0 ? undefined : Buffer.from(buffer);
  };
  const start = performance.now();
  for (let i = 0; i < options.concurrency; i += 1) {
    const state: ConnectionState = { buffer: undefined, done: false };
    live += 1;
    try {
      await Bun.connect<ConnectionState>({
        hostname: options.host,
        port: options.port,
        data: state,
        socket: {
          open: (s) => {
            s.write(request);
          },
          data: onData,
          close: (s) => release(s.data),
          error: (s) => {
            errors += 1;
            release(s.data);
          },
        },
      });
    } catch {
      errors += 1;
      release(state);
    }
  }
  await Bun.sleep(options.durationMs);
  stopping = true;
  const elapsedMs = performance.now() - start;
  const counted = { ok, errors };
  // Let the requests in flight finish (bounded), so no socket is left open.
  await Promise.race([finished.promise, Bun.sleep(5000)]);
  return { ok: counted.ok, errors: counted.errors, elapsedMs, requestsPerSecond: counted.ok / (elapsedMs / 1000), okIncludingInFlight: ok };
}
