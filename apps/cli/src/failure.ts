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
 */
export function describeFailure(error: unknown, what: string, baseUrl: string): string {
  const url = new URL(baseUrl);
  for (const link of causeChain(error)) {
    if (link instanceof TimeoutError) return `${what} failed: ${link.message}`;
  }
  const status = fieldOf(error, "status");
  if (typeof status === "number") {
    const server = serverMessage(fieldOf(error, "body"));
    const hint = status === 401 || status === 403 ? " (set --token or EVENTS_TOKEN)" : "";
    return `${what} failed: HTTP ${status}${server === undefined ? "" : ` ${server}`}${hint}`;
  }
  for (const link of causeChain(error)) {
    const code = fieldOf(link, "code");
    const reason = typeof code === "string" ? NETWORK_REASONS[code] : undefined;
    if (reason !== undefined) return `${what} failed: ${reason(url)}`;
  }
  const deepest = causeChain(error).at(-1);
  const message = deepest instanceof Error ? deepest.message : String(deepest);
  return `${what} failed: ${firstLine(message)}`;
}

/** `CODE: message` from the server's `{ error: { code, message } }` body, or its text. */
function serverMessage(body: unknown): string | undefined {
  const inner = fieldOf(body, "error");
  const code = fieldOf(inner, "code");
  const message = fieldOf(inner, "message");
  // The server wrote these: shown escaped, never as terminal control sequences.
  if (typeof message === "string") return escapeControl(typeof code === "string" ? `${code}: ${firstLine(message)}` : firstLine(message));
  if (typeof body === "string" && body.trim() !== "") return escapeControl(firstLine(body.trim()).slice(0, 200));
  return undefined;
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

function fieldOf(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? text;
}
