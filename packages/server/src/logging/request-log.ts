/**
 * One log line per request, written around a `fetch` handler by the runtime entries: method,
 * path (never the query string, which may carry a token), status, milliseconds until the
 * answer was ready, and bytes of body sent. An event stream is left to the events plugin,
 * which writes its line when the stream ends, with its lifetime and why it ended.
 */
import { requestPath } from "../request-url.ts";
import type { Logger } from "./logger.ts";

/** What `Bun.serve`, `Deno.serve` and `app.fetch` share (Bun and Deno pass more arguments after the request). */
export type FetchHandler<Rest extends unknown[] = []> = (request: Request, ...rest: Rest) => Response | Promise<Response>;

/** Options of {@link withRequestLog}. */
export interface RequestLogOptions {
  /** Where the lines go (at level `info`). */
  readonly logger: Logger;
  /** A monotonic clock in milliseconds. @default `performance.now` */
  readonly now?: () => number;
}

/** Milliseconds rounded to hundredths: enough for a log, short to read. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/**
 * Wraps `handle` so each request it answers is logged; returns `handle` itself when the logger
 * does not write `info` lines, so a quiet server pays nothing per request.
 * A body of unknown length (a JSON answer has no `Content-Length` until it is sent) is read
 * once to count it and answered from those bytes.
 * @example
 * Bun.serve({ fetch: withRequestLog(app.fetch, { logger }) });
 */
export function withRequestLog<Rest extends unknown[]>(handle: FetchHandler<Rest>, options: RequestLogOptions): FetchHandler<Rest> {
  const { logger } = options;
  if (!logger.enabled("info")) return handle;
  const now = options.now ?? ((): number => performance.now());
  const log = (request: Request, status: number, start: number, bytes: number): void => {
    logger.info("request", { method: request.method, path: requestPath(request.url), status, ms: roundMs(now() - start), bytes });
  };
  const finish = (request: Request, response: Response, start: number): Response | Promise<Response> => {
    const headers = response.headers;
    // The events plugin logs a stream when it ends; a HEAD answer has nothing to stream.
    if (request.method !== "HEAD" && headers.get("content-type") === "text/event-stream") return response;
    const length = headers.get("content-length");
    if (length !== null || request.method === "HEAD" || response.status === 204 || response.status === 304) {
      log(request, response.status, start, request.method === "HEAD" || length === null ? 0 : Number(length));
      return response;
    }
    return response.arrayBuffer().then((body) => {
      log(request, response.status, start, body.byteLength);
      return new Response(body, { status: response.status, statusText: response.statusText, headers });
    });
  };
  return (request, ...rest) => {
    const start = now();
    const answer = handle(request, ...rest);
    return answer instanceof Promise ? answer.then((response) => finish(request, response, start)) : finish(request, answer, start);
  };
}
