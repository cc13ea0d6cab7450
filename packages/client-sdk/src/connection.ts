import { describeValue } from "@events/sse-core";
import { parseRetryAfter } from "./backoff.ts";
import { EventsClientError, httpError } from "./errors.ts";
import type { FetchFunction } from "./connection-options.ts";
import type { ReconnectReason } from "./status.ts";

// One connection attempt of a stream: send the request (following redirects ourselves),
// classify the answer, read the body. The loop that retries lives in `ReconnectingStream`.

/** The media type of an event stream. */
export const EVENT_STREAM_TYPE = "text/event-stream";

/** Redirects followed per attempt; one more counts the attempt as failed (`too-many-redirects`). */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** How an attempt failed when the stream should try again later. */
export interface RetryableFailure {
  readonly reason: ReconnectReason;
  readonly error: EventsClientError;
  /** The HTTP status, for `http-status`. */
  readonly status?: number;
  /** The server's `Retry-After`, in milliseconds (not yet clamped). */
  readonly retryAfterMs?: number;
}

/** What an answer means for the stream; see {@link classifyResponse}. */
export type ResponseClass =
  | { readonly kind: "open" }
  /** 204: the server asks the client not to reconnect. */
  | { readonly kind: "no-content" }
  /** A redirect to follow, `location` resolved against the request URL. */
  | { readonly kind: "redirect"; readonly location: string }
  /** A redirect whose Location is missing or not an http(s) URL. */
  | { readonly kind: "bad-redirect"; readonly location: string | null }
  /** A browser's answer to `redirect: "manual"`: a redirect it will not show us. */
  | { readonly kind: "opaque-redirect" }
  | { readonly kind: "retry"; readonly reason: "http-status" | "connection-lost"; readonly status: number; readonly retryAfterMs: number | undefined }
  /** A 200 that is not an event stream (a login page, a wrong URL). */
  | { readonly kind: "not-event-stream"; readonly contentType: string }
  /** Any other status: fatal, the body says why. */
  | { readonly kind: "refused" };

/**
 * Decides what an answer means, from its status and headers alone (no I/O): open, stop (204),
 * follow a redirect, retry later (408, 429, 5xx, a 200 without a body), or fail.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface
 */
export function classifyResponse(response: Response, requestUrl: string, nowMs: number): ResponseClass {
  const { status } = response;
  if (response.type === "opaqueredirect") return { kind: "opaque-redirect" };
  if (status === 204) return { kind: "no-content" };
  if (status === 200) {
    const contentType = response.headers.get("content-type") ?? "";
    const essence = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    if (essence !== EVENT_STREAM_TYPE) return { kind: "not-event-stream", contentType };
    if (response.body === null) return { kind: "retry", reason: "connection-lost", status, retryAfterMs: undefined };
    return { kind: "open" };
  }
  if (REDIRECT_STATUSES.has(status)) {
    const location = response.headers.get("location");
    const target = location === null ? undefined : resolveHttpUrl(location, requestUrl);
    return target === undefined ? { kind: "bad-redirect", location } : { kind: "redirect", location: target };
  }
  if (status === 408 || status === 429 || (status >= 500 && status <= 599)) {
    return { kind: "retry", reason: "http-status", status, retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), nowMs) };
  }
  return { kind: "refused" };
}

/** What one request for the stream needs. */
export interface ConnectionRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch: FetchFunction;
  /** Aborts the request and every redirect hop. */
  readonly signal: AbortSignal;
  /**
   * `"manual"` follows up to {@link MAX_REDIRECTS} redirects here; `"follow"` leaves them to
   * `fetch` (browsers, which answer `"manual"` with an opaque redirect).
   */
  readonly redirect: "manual" | "follow";
  readonly now: () => number;
}

/** How opening a connection ended: a body to read, a stop, a failure to retry, or an opaque redirect. */
export type OpenResult =
  | { readonly kind: "open"; readonly body: ReadableStream<Uint8Array> }
  | { readonly kind: "no-content" }
  | { readonly kind: "opaque-redirect" }
  | { readonly kind: "retry"; readonly failure: RetryableFailure };

/**
 * Sends the stream request and follows redirects (301, 302, 303, 307, 308) itself, at most
 * {@link MAX_REDIRECTS} per attempt, so a redirect loop costs 6 requests, not the 20 to 127 a
 * runtime's `fetch` would make. `Last-Event-ID` goes along; `Authorization` only within the
 * origin, as `fetch` does. Throws `EventsClientError` for a fatal answer.
 */
export async function openConnection(request: ConnectionRequest): Promise<OpenResult> {
  const { fetch, signal, redirect, now } = request;
  let url = request.url;
  let headers = request.headers;
  for (let hop = 0; ; hop += 1) {
    let response: Response;
    try {
      // `cache: "no-store"` rather than a Cache-Control header, which would cost a CORS preflight.
      response = await fetch(url, { headers, signal, cache: "no-store", redirect });
    } catch (cause) {
      // Refused, reset, DNS, or our own abort: the caller knows which.
      return { kind: "retry", failure: retryableFailure("network-error", url, { cause }) };
    }
    const answer = classifyResponse(response, url, now());
    if (answer.kind === "open") return { kind: "open", body: response.body as ReadableStream<Uint8Array> };
    if (answer.kind === "refused") throw await httpError(response, `GET ${url}`);
    await response.body?.cancel().catch(ignore);
    switch (answer.kind) {
      case "no-content":
      case "opaque-redirect":
        return answer;
      case "retry":
        return { kind: "retry", failure: retryableFailure(answer.reason, url, answer) };
      case "not-event-stream":
        throw new EventsClientError(
          "UNEXPECTED_CONTENT_TYPE",
          `the stream answered with content type ${describeValue(answer.contentType)}; expected ${EVENT_STREAM_TYPE} (is the URL right?)`,
          { status: response.status },
        );
      case "bad-redirect":
        throw new EventsClientError(
          "HTTP_ERROR",
          `GET ${url} answered HTTP ${response.status} with Location ${describeValue(answer.location)}, not an http(s) URL`,
          { status: response.status },
        );
      case "redirect":
        if (hop === MAX_REDIRECTS) return { kind: "retry", failure: retryableFailure("too-many-redirects", request.url, {}) };
        if (new URL(answer.location).origin !== new URL(url).origin) headers = withoutAuthorization(headers);
        url = answer.location;
    }
  }
}

/**
 * The chunks of a body until it ends, breaks off (a read that rejects) or `signal` aborts.
 * Aborting cancels the reader, which ends a pending read even with a `fetch` that ignores its signal.
 */
export async function* readChunks(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = body.getReader();
  const cancel = (): void => void reader.cancel().catch(ignore);
  signal.addEventListener("abort", cancel, { once: true });
  try {
    for (;;) {
      const chunk = await reader.read().catch(() => undefined);
      if (chunk === undefined || chunk.done) return;
      yield chunk.value;
    }
  } finally {
    signal.removeEventListener("abort", cancel);
    cancel();
  }
}

/**
 * The `Last-Event-ID` header value for `id`: its UTF-8 bytes, each as one Latin-1 code unit,
 * which `fetch` writes as that byte. An id outside Latin-1 (`é☃😀-1`) would otherwise make
 * `fetch` throw, and the stream could never reconnect.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#sse-processing-model (UTF-8 encode the last event ID)
 */
export function lastEventIdHeader(id: string): string {
  if (/^[\x00-\x7f]*$/.test(id)) return id;
  let value = "";
  for (const byte of new TextEncoder().encode(id)) value += String.fromCharCode(byte);
  return value;
}

/** Builds the failure (and its error) for one way an attempt can end before a healthy stream. */
export function retryableFailure(
  reason: ReconnectReason,
  url: string,
  details: { readonly status?: number; readonly retryAfterMs?: number | undefined; readonly cause?: unknown; readonly silentMs?: number },
): RetryableFailure {
  const { status, retryAfterMs, cause } = details;
  const extra = { ...(status === undefined ? {} : { status }), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  const errorDetails = { ...(status === undefined ? {} : { status }), ...(cause === undefined ? {} : { cause }) };
  const [code, message] = FAILURE_MESSAGES[reason](url, details);
  return { reason, error: new EventsClientError(code, message, errorDetails), ...extra };
}

type FailureMessage = (url: string, details: { readonly status?: number; readonly cause?: unknown; readonly silentMs?: number }) => [
  EventsClientError["code"],
  string,
];

const FAILURE_MESSAGES: Readonly<Record<ReconnectReason, FailureMessage>> = {
  "network-error": (url, { cause }) => ["NETWORK_ERROR", `GET ${url} could not reach the server (${String(cause)})`],
  "http-status": (url, { status }) => ["HTTP_ERROR", `GET ${url} answered HTTP ${status ?? "error"}; retrying`],
  "connection-lost": (url) => ["CONNECTION_LOST", `the stream from ${url} broke off`],
  "heartbeat-timeout": (url, { silentMs }) => ["HEARTBEAT_TIMEOUT", `nothing arrived from ${url} for ${silentMs ?? "too many"} ms`],
  "too-many-redirects": (url) => ["TOO_MANY_REDIRECTS", `GET ${url} was redirected more than ${MAX_REDIRECTS} times`],
  "token-error": (url, { cause }) => ["TOKEN_ERROR", `the token function failed before GET ${url} (${String(cause)})`],
  "auth-expired": (url) => ["AUTH_EXPIRED", `the stream from ${url} ended at its token's expiry; reconnecting with a fresh token`],
  unauthorized: (url) => ["HTTP_ERROR", `GET ${url} answered HTTP 401; retrying once with a fresh token`],
};

function resolveHttpUrl(location: string, base: string): string | undefined {
  let url: URL;
  try {
    url = new URL(location, base);
  } catch {
    // Not a URL: reported as a bad redirect.
    return undefined;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
}

function withoutAuthorization(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== "authorization"));
}

/** Cancelling an answer we will not read may reject; the connection is gone either way. */
function ignore(): void {}
