/** How a client's stream ends when `broker.subscribe` fails. */
import { SseError } from "./errors.ts";
import type { EventStreamCloseReason } from "./event-stream.ts";

/**
 * Why a stream whose subscribe threw `error` ends. `"broker-unavailable"` (only for a stream
 * still starting) means: write `retry:` and end cleanly; `"error"` means error the stream.
 */
export function subscribeFailureReason(error: unknown, starting: boolean): EventStreamCloseReason {
  const code = error instanceof SseError ? error.code : undefined;
  // A broker that is down is a condition, not a bug: an errored body before its first byte
  // makes the runtime drop the connection with no status line (Bun 1.4.5), and EventSource
  // gives up for good on a non-200 answer. Opening with retry: and ending cleanly makes it
  // reconnect after that delay.
  if (code === "BROKER_UNAVAILABLE" && starting) return "broker-unavailable";
  return code === "BROKER_CLOSED" ? "broker-closed" : "error";
}
