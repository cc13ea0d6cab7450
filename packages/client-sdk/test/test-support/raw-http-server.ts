// A tiny HTTP/1.1 server on a raw TCP socket: it records each request head as the bytes
// that arrived (no HTTP library decodes them first) and answers with whatever text the
// test writes, then closes the connection. node:net, so it runs on Bun, Deno and Node.
import { createServer, type Socket } from "node:net";
import { closeServer, listenOnLoopback } from "./listen.ts";

const CRLF_CRLF = [13, 10, 13, 10];

/** A request as the bytes the server received. */
export interface RawRequest {
  /** The request line, e.g. `GET /events/stream HTTP/1.1`. */
  readonly line: string;
  /** The raw bytes of a header's value (the first one named `name`, any case), or undefined. */
  header(name: string): Uint8Array | undefined;
}

/** Answers the n-th request (from 0) with a complete HTTP response, written as UTF-8. */
export type RawResponder = (request: RawRequest, index: number) => string;

/** Runs `body` against a raw server on a loopback port, then closes it. */
export async function withRawServer(respond: RawResponder, body: (url: string, requests: RawRequest[]) => Promise<void>): Promise<void> {
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => sockets.delete(socket));
    let received = new Uint8Array(0);
    socket.on("data", (chunk: Uint8Array) => {
      const joined = new Uint8Array(received.length + chunk.length);
      joined.set(received);
      joined.set(chunk, received.length);
      received = joined;
      const end = indexOf(received, CRLF_CRLF);
      if (end === -1) return;
      socket.removeAllListeners("data");
      const request = parseHead(received.slice(0, end));
      requests.push(request);
      socket.end(respond(request, requests.length - 1));
    });
  });
  const url = await listenOnLoopback(server);
  try {
    await body(url, requests);
  } finally {
    for (const socket of sockets) socket.destroy();
    await closeServer(server);
  }
}

function parseHead(head: Uint8Array): RawRequest {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let index = indexOf(head, [13, 10]); index !== -1; index = indexOf(head, [13, 10], start)) {
    lines.push(head.slice(start, index));
    start = index + 2;
  }
  lines.push(head.slice(start));
  const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);
  return {
    line: latin1(lines[0] ?? new Uint8Array(0)),
    header(name) {
      const prefix = `${name.toLowerCase()}:`;
      const line = lines.slice(1).find((bytes) => latin1(bytes.slice(0, prefix.length)).toLowerCase() === prefix);
      if (line === undefined) return undefined;
      let from = prefix.length;
      while (line[from] === 32 || line[from] === 9) from += 1;
      return line.slice(from);
    },
  };
}

function indexOf(bytes: Uint8Array, pattern: readonly number[], from = 0): number {
  outer: for (let index = from; index <= bytes.length - pattern.length; index += 1) {
    for (let offset = 0; offset < pattern.length; offset += 1) if (bytes[index + offset] !== pattern[offset]) continue outer;
    return index;
  }
  return -1;
}
