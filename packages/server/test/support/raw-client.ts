/**
 * A lightweight SSE client on a raw TCP socket (no fetch pool limits, little memory), for
 * tests that hold a thousand streams or one that stops reading. Decodes HTTP/1.1 chunked
 * bodies and feeds them to sse-core's parser.
 */
import { connect, type Socket } from "node:net";
import { createParser, type SseMessage } from "@events/sse-core";
import { Changes } from "./changes.ts";

/** One raw stream. */
export interface RawStream {
  readonly socket: Socket;
  readonly events: SseMessage[];
  /** The status line and headers, once received. */
  head: string | undefined;
  /** True once the server closed the connection. */
  ended: boolean;
  /** Body bytes received (after dechunking). */
  bodyBytes: number;
  /** Waits until `condition` holds, checked after each event and when the connection ends. */
  until(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
}

/** Decodes `Transfer-Encoding: chunked` incrementally. */
function createDechunker(onData: (bytes: Uint8Array) => void): (bytes: Uint8Array) => void {
  let pending = new Uint8Array(0);
  let remaining = -1; // bytes left in the current chunk (+2 for its CRLF); -1: expecting a size line
  return (bytes) => {
    const joined = new Uint8Array(pending.length + bytes.length);
    joined.set(pending);
    joined.set(bytes, pending.length);
    let offset = 0;
    while (offset < joined.length) {
      if (remaining < 0) {
        const lineEnd = joined.indexOf(0x0a, offset);
        if (lineEnd === -1) break;
        const size = Number.parseInt(new TextDecoder().decode(joined.subarray(offset, lineEnd)).trim(), 16);
        offset = lineEnd + 1;
        remaining = size + 2;
        continue;
      }
      const take = Math.min(remaining, joined.length - offset);
      const dataLeft = Math.max(0, remaining - 2);
      const dataTake = Math.min(take, dataLeft);
      if (dataTake > 0) onData(joined.subarray(offset, offset + dataTake));
      offset += take;
      remaining -= take;
      if (remaining === 0) remaining = -1;
    }
    pending = joined.slice(offset);
  };
}

/** Opens `GET /events/stream` on a raw socket. */
export function openRawStream(url: URL, options: { lastEventId?: string } = {}): RawStream {
  const socket = connect(Number(url.port), url.hostname);
  const changes = new Changes();
  const stream: RawStream = {
    socket,
    events: [],
    head: undefined,
    ended: false,
    bodyBytes: 0,
    until: (condition, what, timeoutMs) => changes.until(condition, what, timeoutMs),
  };
  const parser = createParser({
    onEvent: (event) => {
      stream.events.push(event);
      changes.notify();
    },
  });
  const dechunk = createDechunker((bytes) => {
    stream.bodyBytes += bytes.length;
    parser.feed(bytes);
  });
  let headBuffer = "";
  socket.on("data", (data: Buffer) => {
    if (stream.head !== undefined) return dechunk(data);
    headBuffer += data.toString("latin1");
    const end = headBuffer.indexOf("\r\n\r\n");
    if (end === -1) return;
    stream.head = headBuffer.slice(0, end);
    const rest = data.subarray(data.length - (headBuffer.length - end - 4));
    if (rest.length > 0) dechunk(rest);
  });
  const markEnded = (): void => {
    stream.ended = true;
    changes.notify();
  };
  socket.on("close", markEnded);
  socket.on("error", markEnded);
  const lastEventId = options.lastEventId === undefined ? "" : `Last-Event-ID: ${options.lastEventId}\r\n`;
  socket.write(`GET /events/stream HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n${lastEventId}\r\n`);
  return stream;
}
