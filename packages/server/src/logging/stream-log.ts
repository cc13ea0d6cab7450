/**
 * The log line of an event stream, written when it ends: the request line (method, path,
 * status 200) with the stream's lifetime in `ms`, the bytes it wrote, why it ended (`reason`, sse-core's
 * `EventStreamCloseReason`) and how many topics and patterns it followed.
 */
import type { EventStreamCloseReason, EventStreamSummary } from "@events/sse-core";
import { requestPath } from "../request-url.ts";
import type { Logger } from "./logger.ts";
import { roundMs } from "./request-log.ts";

/** Starts timing one stream; call the result once, when it ends. */
export type StreamLog = (request: Request, topics: number) => (reason: EventStreamCloseReason, summary: EventStreamSummary) => void;

/**
 * A stream logger on `logger`, or undefined when it writes no `info` lines (no clock is read
 * and nothing is kept per stream then).
 * @example
 * const onClose = streamLog?.(request, 1);
 */
export function createStreamLog(logger: Logger | undefined, now: () => number = () => performance.now()): StreamLog | undefined {
  if (logger === undefined || !logger.enabled("info")) return undefined;
  return (request, topics) => {
    const start = now();
    // Only the two strings are kept: the whole Request (headers, URL) would stay alive as long as the stream.
    const method = request.method;
    const path = requestPath(request.url);
    return (reason, { bytes }) => {
      logger.info("request", { method, path, status: 200, ms: roundMs(now() - start), bytes, reason, topics });
    };
  };
}
