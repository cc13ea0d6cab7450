// A TCP proxy that cuts connections at random, often in the middle of an event: the
// server needs no test-only flag, and the client sees real resets.
import { connect, createServer, type Socket } from "node:net";

/** A deterministic random source (mulberry32), so a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LF = 10;

/** A running proxy. */
export interface FlakyProxy {
  readonly url: string;
  /** Connections cut so far. */
  readonly cuts: number;
  close(): Promise<void>;
}

/**
 * Proxies 127.0.0.1:<random port> to `targetPort`; each connection is cut after 1 to
 * `maxFrames` frames from the server, at a random byte of the last one (often mid-event).
 */
export function startFlakyProxy(targetPort: number, options: { seed: number; maxFrames: number }): Promise<FlakyProxy> {
  const random = seededRandom(options.seed);
  const sockets = new Set<Socket>();
  let cuts = 0;
  const server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(client);
    sockets.add(upstream);
    let budget = 1 + Math.floor(random() * options.maxFrames);
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on("data", (chunk: Uint8Array) => upstream.write(chunk));
    upstream.on("data", (chunk: Uint8Array) => {
      if (budget <= 0) return;
      // Count frames (each ends in a blank line: LF LF); cut inside or right after the last allowed one.
      let frameStart = 0;
      for (let index = 1; index < chunk.length; index += 1) {
        if (chunk[index] !== LF || chunk[index - 1] !== LF) continue;
        budget -= 1;
        if (budget === 0) {
          cuts += 1;
          const cutAt = frameStart + Math.floor(random() * (index + 2 - frameStart));
          // Close a moment after the bytes left: Bun's fetch (1.4.5) drops bytes that arrive
          // together with the close, which would stall progress (not lose events).
          client.write(chunk.subarray(0, cutAt), () => setTimeout(cut, 5));
          return;
        }
        frameStart = index + 1;
      }
      client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on("error", cut);
      socket.on("close", () => {
        sockets.delete(socket);
        cut();
      });
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        get cuts(): number {
          return cuts;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
