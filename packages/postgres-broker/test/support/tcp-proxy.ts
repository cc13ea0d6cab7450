/**
 * A TCP proxy for outage tests: it forwards every connection to a target (PostgreSQL), and can
 * cut them all and refuse new ones (the listening socket is closed, so connects get
 * ECONNREFUSED, as during a database restart) until it is restored on the same port.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

/** A running proxy; see {@link startTcpProxy}. */
export interface TcpProxy {
  /** The port the proxy listens on (kept across {@link TcpProxy.restore}). */
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Destroys every proxied connection (both sides) and stops accepting: connects are refused. */
  cut(): Promise<void>;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
  /** Cuts everything and stops for good. */
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

function stopListening(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

/** Starts a proxy on 127.0.0.1 (a free port) forwarding to `host:port`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server = createServer((client) => {
    accepted += 1;
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
  });
  const port = await listen(server, 0);
  const cut = async (): Promise<void> => {
    const closed = stopListening(server);
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    port,
    get accepted() {
      return accepted;
    },
    cut,
    restore: async (): Promise<void> => {
      if (!server.listening) await listen(server, port);
    },
    close: cut,
  };
}
