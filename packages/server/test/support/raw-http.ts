/**
 * Sends hand-written HTTP bytes on a socket and collects the answer: for requests `fetch`
 * cannot make (a malformed `Host`, HTTP/1.0 without `Host`).
 */
import { connect } from "node:net";

/**
 * Writes `request` to the server at `url` and resolves with what came back (latin1) once the
 * server closes, or once `until` matches what arrived so far (then the socket is closed).
 */
export function rawExchange(url: URL, request: string, until?: RegExp, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(request));
    let received = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms; got ${JSON.stringify(received.slice(0, 200))}`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received);
    };
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      if (until?.test(received)) finish();
    });
    socket.on("close", finish);
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** The body of a raw HTTP/1.1 answer with a Content-Length (everything after the blank line). */
export function rawBody(answer: string): string {
  const end = answer.indexOf("\r\n\r\n");
  return end === -1 ? "" : answer.slice(end + 4);
}
