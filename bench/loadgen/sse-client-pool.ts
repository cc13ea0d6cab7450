/**
 * Opens many SSE connections over raw TCP (`Bun.connect`) and counts the benchmark's markers
 * in what arrives, without parsing SSE or allocating per event: each published message carries
 * `@@<seq>:<publish time in µs>;`, found with a native `indexOf` and read digit by digit by a
 * small state machine that survives TCP splits. HTTP chunk-size lines never fall inside a
 * marker (every peer writes a frame in one chunk); a marker broken any other way is counted
 * in `malformed`, so a wrong assumption shows up in the results instead of as silent loss.
 * Each client also folds the sequence numbers it receives, in arrival order, into a hash:
 * clients that got the same events in the same order have the same hash, so
 * {@link SseClientPool.distinctOrders} tells a server that reorders, repeats or drops events for
 * some clients (the publisher has several requests in flight, so the order itself is the
 * server's publish order, not the sequence numbers').
 */
import type { Socket } from "bun";
import { LatencyHistogram } from "./latency-histogram.ts";

const AT = 64; // "@"
const COLON = 58; // ":"
const SEMICOLON = 59; // ";"
const HEADER_END = Buffer.from("\r\n\r\n");

/** Options of {@link SseClientPool.open}. */
export interface SseClientPoolOptions {
  readonly host: string;
  readonly port: number;
  /** Request path, e.g. `/events/stream`, or one per connection (by its index from 0), e.g. one topic each. */
  readonly path: string | ((index: number) => string);
  /** Connections to open. */
  readonly count: number;
  /** Extra request headers (e.g. `Last-Event-ID`). @default none */
  readonly headers?: Readonly<Record<string, string>>;
  /** Connections being opened at once. @default 250 */
  readonly connectConcurrency?: number;
  /** Give up waiting for every stream to answer after this long. @default 60000 (ms) */
  readonly readyTimeoutMs?: number;
  /** Count a client as caught up once it has this many markers. @default 0 (not tracked) */
  readonly catchUpTarget?: number;
}

interface ClientState {
  headersDone: boolean;
  /** Bytes of the response head seen so far (only until the head is complete). */
  head: Buffer | undefined;
  ready: boolean;
  closed: boolean;
  received: number;
  /** Marker state: 0 outside, 1 after one "@", 2 in seq digits, 3 in time digits. */
  state: number;
  seq: number;
  /** Hash of the sequence numbers received since the counters were reset, in arrival order. */
  orderHash: number;
  micros: number;
}

/** Totals since the last {@link SseClientPool.resetCounters}. */
export interface PoolCounters {
  /** Markers received, all clients together. */
  readonly received: number;
  /** Connections open and answered 200 now. */
  readonly open: number;
  /** Connections that ended (by the server or an error) since they were opened. */
  readonly closed: number;
  /** Connections answered with something other than 200. */
  readonly rejected: number;
  /** Markers that did not parse (see the module comment). */
  readonly malformed: number;
  /** Clients that reached `catchUpTarget` markers. */
  readonly caughtUp: number;
  /** Bytes received, heads included. */
  readonly bytes: number;
}

/** A set of SSE connections to one server and what they received. */
export class SseClientPool {
  readonly latency = new LatencyHistogram();
  readonly #sockets: Socket<ClientState>[] = [];
  #received = 0;
  #open = 0;
  #closed = 0;
  #rejected = 0;
  #malformed = 0;
  #caughtUp = 0;
  #bytes = 0;
  #catchUpTarget = 0;

  private constructor() {}

  /** Opens `count` connections and resolves once each answered (or failed), bounded by `readyTimeoutMs`. */
  static async open(options: SseClientPoolOptions): Promise<SseClientPool> {
    const pool = new SseClientPool();
    pool.#catchUpTarget = options.catchUpTarget ?? 0;
    await pool.#connectAll(options);
    return pool;
  }

  counters(): PoolCounters {
    return {
      received: this.#received,
      open: this.#open,
      closed: this.#closed,
      rejected: this.#rejected,
      malformed: this.#malformed,
      caughtUp: this.#caughtUp,
      bytes: this.#bytes,
    };
  }

  /** Zeroes the received/malformed/caught-up counts, each client's order hash and the latency histogram. */
  resetCounters(): void {
    this.#received = 0;
    this.#malformed = 0;
    this.#caughtUp = 0;
    this.#bytes = 0;
    for (const socket of this.#sockets) {
      socket.data.received = 0;
      socket.data.orderHash = 0;
    }
    this.latency.reset();
  }

  /**
   * How many different orders the open clients received their events in since the counters
   * were reset (by count and order hash): 1 when every client got the same events in the same order.
   */
  distinctOrders(): number {
    const orders = new Set<string>();
    for (const socket of this.#sockets) if (socket.data.ready && !socket.data.closed) orders.add(`${socket.data.received}:${socket.data.orderHash}`);
    return orders.size;
  }

  /** Closes every connection. */
  close(): void {
    for (const socket of this.#sockets) socket.end();
    this.#sockets.length = 0;
  }

  async #connectAll(options: SseClientPoolOptions): Promise<void> {
    const extra = Object.entries(options.headers ?? {})
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("");
    const requestFor = (path: string): Buffer =>
      Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${options.host}:${options.port}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n${extra}\r\n`);
    const { path } = options;
    const shared = typeof path === "string" ? requestFor(path) : undefined;
    const concurrency = options.connectConcurrency ?? 250;
    const deadline = performance.now() + (options.readyTimeoutMs ?? 60_000);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < options.count && performance.now() < deadline) {
        const request = shared ?? requestFor((path as (index: number) => string)(next));
        next += 1;
        const state: ClientState = { headersDone: false, head: undefined, ready: false, closed: false, received: 0, state: 0, seq: 0, orderHash: 0, micros: 0 };
        const answeredOnce = Promise.withResolvers<void>();
        const settle = (): void => {
          if (state.ready || state.closed) answeredOnce.resolve();
        };
        try {
          const socket = await Bun.connect<ClientState>({
            hostname: options.host,
            port: options.port,
            data: state,
            socket: {
              open: (s) => {
                s.write(request);
              },
              data: (s, chunk) => {
                this.#onData(s.data, chunk);
                settle();
              },
              close: (s) => {
                this.#onClose(s.data);
                settle();
              },
              error: (s) => {
                this.#onClose(s.data);
                settle();
              },
            },
          });
          this.#sockets.push(socket);
        } catch {
          this.#rejected += 1;
          continue;
        }
        const left = deadline - performance.now();
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          answeredOnce.promise,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, Math.max(0, left));
          }),
        ]);
        clearTimeout(timer);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, options.count) }, worker));
  }

  #onClose(state: ClientState): void {
    if (state.closed) return;
    state.closed = true;
    if (state.ready) {
      this.#open -= 1;
      this.#closed += 1;
    } else {
      this.#rejected += 1;
    }
  }

  #onData(state: ClientState, chunk: Buffer): void {
    this.#bytes += chunk.length;
    let body = chunk;
    if (!state.headersDone) {
      const head = state.head === undefined ? chunk : Buffer.concat([state.head, chunk]);
      const end = head.indexOf(HEADER_END);
      if (end === -1) {
        state.head = head;
        return;
      }
      state.head = undefined;
      state.headersDone = true;
      // "HTTP/1.1 200 ..."
      if (head[9] !== 50 || head[10] !== 48 || head[11] !== 48) {
        state.closed = true;
        this.#rejected += 1;
        return;
      }
      body = head.subarray(end + 4);
    }
    // Ready at the first body byte: every peer writes something (retry/connected/comment) once subscribed.
    if (!state.ready) {
      if (body.length === 0 || state.closed) return;
      state.ready = true;
      this.#open += 1;
    }
    this.#scan(state, body);
  }

  #scan(state: ClientState, body: Buffer): void {
    const length = body.length;
    let i = 0;
    let now = -1;
    while (i < length) {
      if (state.state === 0) {
        const at = body.indexOf(AT, i);
        if (at === -1) return;
        state.state = 1;
        i = at + 1;
        continue;
      }
      const byte = body[i] as number;
      i += 1;
      if (state.state === 1) {
        state.state = byte === AT ? 2 : 0;
        state.seq = 0;
      } else if (state.state === 2) {
        if (byte === COLON) {
          state.state = 3;
          state.micros = 0;
        } else if (byte >= 48 && byte <= 57) state.seq = state.seq * 10 + (byte - 48);
        else this.#bad(state);
      } else if (byte === SEMICOLON) {
        state.state = 0;
        if (now < 0) now = (performance.timeOrigin + performance.now()) * 1000;
        this.#received += 1;
        state.received += 1;
        state.orderHash = (Math.imul(state.orderHash, 31) + state.seq) | 0;
        if (state.received === this.#catchUpTarget) this.#caughtUp += 1;
        this.latency.record((now - state.micros) / 1000);
      } else if (byte >= 48 && byte <= 57) {
        state.micros = state.micros * 10 + (byte - 48);
      } else this.#bad(state);
    }
  }

  #bad(state: ClientState): void {
    state.state = 0;
    this.#malformed += 1;
  }
}
