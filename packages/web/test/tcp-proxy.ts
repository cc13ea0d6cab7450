/**
 * A loopback TCP proxy in front of the server, so a test can cut the browser's stream
 * without restarting the server: `drop()` closes every open connection and refuses new
 * ones (the browser sees a network error and EventSource keeps retrying) until `restore()`.
 */
import type { Socket, TCPSocketListener } from "bun";

interface Pair {
  client: Socket<Pair>;
  upstream: Socket<Pair> | undefined;
  /** Bytes waiting for the upstream (not connected yet, or backpressure). */
  toUpstream: Uint8Array[];
  /** Bytes waiting for the client (backpressure). */
  toClient: Uint8Array[];
}

/** A running proxy. */
export interface TcpProxy {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** Closes every proxied connection and refuses new ones. */
  drop(): void;
  /** Accepts connections again. */
  restore(): void;
  /** How many connections were refused while dropped. */
  readonly refused: number;
  stop(): void;
}

function flush(socket: Socket<Pair>, queue: Uint8Array[]): void {
  while (queue.length > 0) {
    const chunk = queue[0] as Uint8Array;
    const written = socket.write(chunk);
    if (written < chunk.length) {
      queue[0] = chunk.subarray(Math.max(written, 0));
      return;
    }
    queue.shift();
  }
}

function forward(socket: Socket<Pair> | undefined, queue: Uint8Array[], chunk: Uint8Array): void {
  // Copy: the runtime may reuse the buffer it handed to `data`.
  queue.push(new Uint8Array(chunk));
  if (socket) flush(socket, queue);
}

/** Starts a proxy on an ephemeral loopback port forwarding to `targetHost:targetPort`. */
export function startTcpProxy(targetPort: number, targetHost = "127.0.0.1"): TcpProxy {
  let down = false;
  let refused = 0;
  const open = new Set<Pair>();

  const closePair = (pair: Pair): void => {
    if (!open.delete(pair)) return;
    pair.client.end();
    pair.upstream?.end();
  };

  const listener: TCPSocketListener<Pair> = Bun.listen<Pair>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(client) {
        if (down) {
          refused += 1;
          client.terminate();
          return;
        }
        const pair: Pair = { client, upstream: undefined, toUpstream: [], toClient: [] };
        client.data = pair;
        open.add(pair);
        Bun.connect<Pair>({
          hostname: targetHost,
          port: targetPort,
          data: pair,
          socket: {
            open(upstream) {
              pair.upstream = upstream;
              flush(upstream, pair.toUpstream);
            },
            data(_upstream, chunk) {
              forward(pair.client, pair.toClient, chunk);
            },
            drain(upstream) {
              flush(upstream, pair.toUpstream);
            },
            close() {
              closePair(pair);
            },
            error() {
              closePair(pair);
            },
          },
        }).catch(() => closePair(pair));
      },
      data(client, chunk) {
        forward(client.data.upstream, client.data.toUpstream, chunk);
      },
      drain(client) {
        flush(client, client.data.toClient);
      },
      close(client) {
        if (client.data) closePair(client.data);
      },
      error(client) {
        if (client.data) closePair(client.data);
      },
    },
  });

  return {
    url: `http://127.0.0.1:${listener.port}/`,
    drop(): void {
      down = true;
      for (const pair of [...open]) {
        open.delete(pair);
        pair.client.terminate();
        pair.upstream?.terminate();
      }
    },
    restore(): void {
      down = false;
    },
    get refused(): number {
      return refused;
    },
    stop(): void {
      this.drop();
      listener.stop(true);
    },
  };
}
