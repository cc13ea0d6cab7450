/**
 * A loopback TCP port nobody listens on right now: bound to port 0, read, released. For a
 * server a test starts on a port of its choosing, or a peer that is down (nothing answers).
 * Only `node:` APIs, so Bun, Deno and Node tests all use it.
 */
import { createServer } from "node:net";

/** Resolves with a free port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
