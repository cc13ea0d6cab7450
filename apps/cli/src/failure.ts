import { EventsClientError, serverErrorMessage } from "@events/client-sdk";
import { formatDuration } from "./duration.ts";
import { escapeControl } from "./output.ts";

/** Thrown by the CLI's fetch when the server does not answer within `--timeout`. */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  readonly url: string;
  readonly timeoutMs: number;

  constructor(url: string, timeoutMs: number) {
    super(`no answer from ${url} within ${formatDuration(timeoutMs)}`);
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
}

/** Network error codes (Bun and Node spell them the same) and how to say them. */
const NETWORK_REASONS: Readonly<Record<string, (url: URL) => string>> = {
  ECONNREFUSED: (url) => `connection refused to ${url.origin}`,
  ConnectionRefused: (url) => `connection refused to ${url.origin}`,
  ENOTFOUND: (url) => `host not found: ${url.hostname}`,
  EAI_AGAIN: (url) => `host not found (DNS lookup failed): ${url.hostname}`,
  ECONNRESET: (url) => `connection reset by ${url.origin}`,
  ConnectionClosed: (url) => `connection closed by ${url.origin}`,
  ETIMEDOUT: (url) => `connection to ${url.origin} timed out`,
  EHOSTUNREACH: (url) => `host unreachable: ${url.hostname}`,
  ENETUNREACH: (url) => `network unreachable for ${url.origin}`,
  CERT_HAS_EXPIRED: (url) => `TLS certificate of ${url.hostname} has expired`,
  DEPTH_ZERO_SELF_SIGNED_CERT: (url) => `TLS certificate of ${url.hostname} is self-signed`,
};

/**
 * One line saying what failed and why, for exit status 1: the server's own message for
 * an HTTP error, the network reason (connection refused, host not found) otherwise.
 * Everything the server wrote is shown escaped, never as terminal control sequences.
 */
export function describeFailure(error: unknown, what: string, baseUrl: string): string {
  const chain = causeChain(error);
  const timeout = chain.find((link) => link instanceof TimeoutError);
  if (timeout !== undefined) return `${what} failed: ${timeout.message}`;
  if (error instanceof EventsClientError) {
    switch (error.code) {
      case "HTTP_ERROR":
        if (error.status !== undefined) return `${what} failed: ${describeHttpError(error.status, error.body)}`;
        break;
      case "NETWORK_ERROR":
        // The cause (the runtime's fetch error) says why: read below.
        break;
      default:
        return `${what} failed: ${escapeControl(firstLine(error.message))}`;
    }
  }
  const url = new URL(baseUrl);
  for (const link of chain) {
    const code = typeof link === "object" && link !== null ? (link as { code?: unknown }).code : undefined;
    const reason = typeof code === "string" ? NETWORK_REASONS[code] : undefined;
    if (reason !== undefined) return `${what} failed: ${reason(url)}`;
  }
  const deepest = chain.at(-1);
  const message = deepest instanceof Error ? deepest.message : String(deepest);
  return `${what} failed: ${escapeControl(firstLine(message))}`;
}

/** `HTTP 422 CODE: message`, with a hint at the token on 401 and 403. */
function describeHttpError(status: number, body: unknown): string {
  const json = serverErrorMessage(body);
  const text = json !== undefined ? firstLine(json) : typeof body === "string" ? firstLine(body.trim()).slice(0, 200) : "";
  const server = text === "" ? "" : ` ${escapeControl(text)}`;
  const hint = status === 401 || status === 403 ? " (set --token or EVENTS_TOKEN)" : "";
  return `HTTP ${status}${server}${hint}`;
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? text;
}
