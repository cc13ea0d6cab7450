import { describeValue } from "@events/sse-core";

/** Why an {@link EventsClientError} was thrown. */
export type EventsClientErrorCode =
  /** An option given to `createEventsClient` or `stream()` is invalid. */
  | "INVALID_OPTION"
  /** The server answered with an error status (see `status` and `body`). */
  | "HTTP_ERROR"
  /** The server could not be reached (DNS, refused connection, reset). */
  | "NETWORK_ERROR"
  /** The stream's connection broke off or its body ended (the stream reconnects). */
  | "CONNECTION_LOST"
  /** Nothing arrived on the stream for `heartbeatTimeoutMs` (the stream reconnects). */
  | "HEARTBEAT_TIMEOUT"
  /** The stream was redirected more than 5 times in one attempt (the stream reconnects later). */
  | "TOO_MANY_REDIRECTS"
  /** The stream answered 200 with a content type other than `text/event-stream`. */
  | "UNEXPECTED_CONTENT_TYPE"
  /** A success answer whose body is not the JSON the contract promises. */
  | "INVALID_RESPONSE"
  /** An event of a known type whose `data` is not JSON. */
  | "INVALID_EVENT_DATA"
  /** The stream sent more than `maxEventBytes` without completing an event (an endless line). */
  | "EVENT_TOO_LARGE"
  /** The caller aborted the request with its `AbortSignal`. */
  | "ABORTED"
  /** The `token` function returned something other than a non-empty string without CR or LF. */
  | "INVALID_TOKEN"
  /** The `token` function threw or rejected (a stream reports it and retries with backoff). */
  | "TOKEN_ERROR"
  /** The server ended the stream at its token's expiry (`auth-expired`): the stream reconnects with a fresh token. */
  | "AUTH_EXPIRED";

/** Extra fields of an {@link EventsClientError}. */
export interface EventsClientErrorDetails {
  /** The HTTP status, when the server answered. */
  readonly status?: number;
  /** The server's answer: its JSON error (`{ error: { code, message } }`) when it sent one, else its text. */
  readonly body?: unknown;
  /** The underlying error (a `TypeError` from `fetch`, a `SyntaxError` from `JSON.parse`, ...). */
  readonly cause?: unknown;
}

/**
 * The one error class of `@events/client-sdk`. `code` says what went wrong; `status` and
 * `body` carry the server's answer when there was one.
 *
 * @example
 * ```ts
 * try {
 *   await client.trigger("hello");
 * } catch (error) {
 *   if (error instanceof EventsClientError && error.code === "HTTP_ERROR") console.log(error.status, error.body);
 * }
 * ```
 */
export class EventsClientError extends Error {
  override readonly name = "EventsClientError";
  readonly code: EventsClientErrorCode;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** The server's answer body (parsed JSON when it was JSON), when the server answered. */
  readonly body: unknown;
  /**
   * The server's own error code from a `{ error: { code, message } }` body (`"UNAUTHORIZED"`,
   * `"INVALID_TOKEN"`, `"FORBIDDEN_TOPIC"`, ...), when it sent one.
   */
  readonly serverCode: string | undefined;

  constructor(code: EventsClientErrorCode, message: string, details: EventsClientErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.body = details.body;
    this.serverCode = serverErrorFields(details.body)?.code;
  }
}

/** The server's error message from its `{ error: { code, message } }` body, when it has that shape. */
export function serverErrorMessage(body: unknown): string | undefined {
  const fields = serverErrorFields(body);
  if (fields === undefined) return undefined;
  return [fields.code, fields.message].filter((part) => part !== undefined).join(": ");
}

/** `code` and `message` of a `{ error: { code, message } }` body (at least one of them), or `undefined`. */
function serverErrorFields(body: unknown): { readonly code: string | undefined; readonly message: string | undefined } | undefined {
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const error = body.error;
  if (typeof error !== "object" || error === null) return undefined;
  const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
  const message = "message" in error && typeof error.message === "string" ? error.message : undefined;
  if (code === undefined && message === undefined) return undefined;
  return { code, message };
}

/** Builds the error for a non-success HTTP answer, reading the body as JSON when it is JSON. */
export async function httpError(response: Response, what: string): Promise<EventsClientError> {
  const body = await readErrorBody(response);
  const reason = serverErrorMessage(body) ?? (typeof body === "string" && body !== "" ? describeValue(body) : response.statusText);
  return new EventsClientError("HTTP_ERROR", `${what} failed with HTTP ${response.status}${reason ? ` (${reason})` : ""}`, {
    status: response.status,
    body,
  });
}

const MAX_ERROR_BODY_CHARS = 4096;

async function readErrorBody(response: Response): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    // The body broke off: the status alone still says what happened.
    return undefined;
  }
  const contentType = response.headers.get("content-type") ?? "";
  if (contentType.includes("json")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not the JSON it claims to be: hand back the text, the status says the rest.
    }
  }
  return text.length > MAX_ERROR_BODY_CHARS ? text.slice(0, MAX_ERROR_BODY_CHARS) : text;
}
