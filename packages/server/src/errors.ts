/**
 * The server's one error class, the one table from error code to HTTP status, and the
 * mapping from whatever a route or Elysia throws to a `{ error: { code, message } }` answer.
 */
import { SseError } from "@events/sse-core";
import { ValueErrorType } from "@sinclair/typebox/errors";
import type { ErrorResponse } from "@events/contract";

/** Why a request was refused. Stable: clients and metrics key on these. */
export type HttpErrorCode =
  | "BAD_REQUEST"
  | "INVALID_JSON"
  | "INVALID_IDEMPOTENCY_KEY"
  /** A topic name breaks the topic rules, is a pattern in a publish, or a publish names none or too many. */
  | "INVALID_TOPIC"
  /** A stream's `?topic=` is neither a topic, `<topic>/*` nor `*` (an empty value included). */
  | "INVALID_TOPIC_PATTERN"
  /** A stream asks for more topics than `--max-topics`. */
  | "TOO_MANY_TOPICS"
  /** A publish's `event` cannot be an SSE event name here. */
  | "INVALID_EVENT_NAME"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "VALIDATION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  /** No credentials where a token is needed (`WWW-Authenticate: Bearer realm="events"`), a malformed Authorization header, a query token while query tokens are off, or a wrong trigger token. */
  | "UNAUTHORIZED"
  /** A token that fails verification (expired, bad signature, wrong issuer, ...): `WWW-Authenticate: Bearer ... error="invalid_token"` and the reason. */
  | "INVALID_TOKEN"
  /** A valid token (or `authorize` answer) that does not cover a requested topic or pattern; the message names it. */
  | "FORBIDDEN_TOPIC"
  /** A publish or trigger authenticated by the auth cookie from an `Origin` that is neither the server's own nor allow-listed (CSRF). */
  | "CSRF_REJECTED"
  /** The JWKS (`--jwks-url`) could not be fetched, so no token can be checked now (`Retry-After`). */
  | "AUTH_UNAVAILABLE"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "TOO_MANY_CLIENTS"
  | "SHUTTING_DOWN"
  | "BROKER_UNAVAILABLE"
  | "PUBLISH_UNCONFIRMED"
  | "INTERNAL";

/** The one code → HTTP status table. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<HttpErrorCode, number>> = Object.freeze({
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  INVALID_IDEMPOTENCY_KEY: 400,
  INVALID_TOPIC: 400,
  INVALID_TOPIC_PATTERN: 400,
  TOO_MANY_TOPICS: 400,
  INVALID_EVENT_NAME: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_FAILED: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  INVALID_TOKEN: 401,
  FORBIDDEN_TOPIC: 403,
  CSRF_REJECTED: 403,
  AUTH_UNAVAILABLE: 503,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  TOO_MANY_CLIENTS: 503,
  SHUTTING_DOWN: 503,
  BROKER_UNAVAILABLE: 503,
  PUBLISH_UNCONFIRMED: 503,
  INTERNAL: 500,
});

/** A refused request: its code decides the status; its message says what is wrong and how to fix it. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly code: HttpErrorCode;
  /** Extra response headers, e.g. `Retry-After` or `WWW-Authenticate`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Where the offending value is in the request body (a JSON pointer such as `/data/status`), when known. */
  readonly path: string | undefined;

  constructor(
    code: HttpErrorCode,
    message: string,
    options?: { headers?: Record<string, string>; cause?: unknown; path?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.headers = options?.headers ?? {};
    this.path = options?.path;
  }

  /** The HTTP status from {@link HTTP_STATUS_BY_CODE}. */
  get status(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }
}

/** The JSON body of an error answer. */
export function errorBody(error: HttpError): ErrorResponse {
  return { error: { code: error.code, message: error.message } };
}

/** The complete error answer: status from the table, JSON body, the error's extra headers. */
export function errorResponse(error: HttpError): Response {
  return new Response(JSON.stringify(errorBody(error)), {
    status: error.status,
    headers: { "content-type": "application/json; charset=utf-8", ...error.headers },
  });
}

/**
 * The answer to whatever reached an Elysia error hook: {@link toHttpError}, then
 * {@link errorResponse}. `observe` hears what was answered and the original error, to count
 * refusals and to log what became a 500.
 * @example
 * app.onError(({ error, code }) => answerError(error, code, (answered, original) => log(answered.code)))
 */
export function answerError(
  error: unknown,
  elysiaCode: string | number,
  observe?: (answered: HttpError, original: unknown) => void,
): Response {
  const answered = toHttpError(error, elysiaCode);
  observe?.(answered, error);
  return errorResponse(answered);
}

/** The parts of a TypeBox value error this module reads (Elysia's `ValidationError.all`, `TypeCheck.Errors`). */
export interface ValueErrorLike {
  readonly type: number;
  readonly path: string;
  readonly message: string;
  readonly value?: unknown;
  readonly schema?: { readonly maxLength?: number; readonly minLength?: number };
}

/**
 * Turns whatever reached the error hook into an {@link HttpError}. `elysiaCode` is the
 * `code` Elysia passes to `onError` ("PARSE", "VALIDATION", "NOT_FOUND", ...). Unknown
 * errors become INTERNAL without their message or stack (those stay server-side).
 */
export function toHttpError(error: unknown, elysiaCode: string | number): HttpError {
  if (error instanceof HttpError) return error;
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof HttpError) return cause;
  const brokerError = toBrokerHttpError(error);
  if (brokerError !== undefined) return brokerError;
  switch (elysiaCode) {
    case "NOT_FOUND":
      return new HttpError("NOT_FOUND", "no such endpoint (see /openapi.json)");
    case "PARSE":
      return new HttpError("INVALID_JSON", "request body is not valid JSON");
    case "VALIDATION":
      return new HttpError("VALIDATION_FAILED", describeValidationError(error));
    default:
      return new HttpError("INTERNAL", "internal server error", { cause: error });
  }
}

/**
 * The answer to a publish the broker refused (503 with Retry-After), or undefined for any
 * other error: `BROKER_UNAVAILABLE` when the event was surely not stored (retrying is safe),
 * `PUBLISH_UNCONFIRMED` when it may have been (retry with the same Idempotency-Key).
 */
export function toBrokerHttpError(error: unknown): HttpError | undefined {
  if (!(error instanceof SseError)) return undefined;
  const options = { headers: { "retry-after": "1" }, cause: error };
  switch (error.code) {
    case "BROKER_UNAVAILABLE":
    case "BROKER_CLOSED":
      return new HttpError("BROKER_UNAVAILABLE", `the event was not stored: ${error.message}`, options);
    case "PUBLISH_UNCONFIRMED":
      return new HttpError(
        "PUBLISH_UNCONFIRMED",
        `the event may or may not have been stored (the broker did not confirm it: ${error.message}); ` +
          "retry with the same Idempotency-Key to store it at most once",
        options,
      );
    default:
      return undefined;
  }
}

/**
 * Runs an sse-core input check (topic names, patterns, event names) and turns its refusal
 * into the 400 of the same code and message, so each rule and its wording live in sse-core.
 * @throws {HttpError} `INVALID_TOPIC`, `INVALID_TOPIC_PATTERN` or `INVALID_EVENT_NAME`; any
 *   other error as it is.
 */
export function checkInput<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof SseError)) throw error;
    switch (error.code) {
      case "INVALID_TOPIC":
      case "INVALID_TOPIC_PATTERN":
      case "INVALID_EVENT_NAME":
        throw new HttpError(error.code, error.message, { cause: error });
      default:
        throw error;
    }
  }
}

function describeValidationError(error: unknown): string {
  const target = (error as { type?: unknown }).type === "query" ? "query" : "body";
  let errors: readonly ValueErrorLike[] = [];
  try {
    const all = (error as { all?: unknown }).all;
    if (Array.isArray(all)) errors = all as ValueErrorLike[];
  } catch {
    errors = [];
  }
  return describeValueErrors(errors, target);
}

/**
 * The message of a 422 for a request part (`body`, `query`) that does not match its schema:
 * the first error, naming the field, the rule and the fix.
 * @example
 * describeValueErrors([...TypeCompiler.Compile(TriggerRequest).Errors(body)], "body"); // '"message" is required'
 */
export function describeValueErrors(errors: readonly ValueErrorLike[], target: "body" | "query"): string {
  // A missing property also reports "Expected string" for the same path: name the cause.
  const first = errors.find((e) => e.type === ValueErrorType.ObjectRequiredProperty) ?? errors[0];
  if (first === undefined) return `request ${target} does not match the schema (see /openapi.json)`;
  const field = first.path.replace(/^\//, "").replaceAll("/", ".");
  const name = field === "" ? target : `"${field}"`;
  switch (first.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return `${name} is required`;
    case ValueErrorType.ObjectAdditionalProperties:
      return `${name} is not a known field; send only the documented fields (see /openapi.json)`;
    case ValueErrorType.Object:
      return `${name} must be a JSON object`;
    case ValueErrorType.String:
      return `${name} must be a string (got ${jsonType(first.value)})`;
    case ValueErrorType.StringMinLength:
      return first.schema?.minLength === 1
        ? `${name} must not be empty`
        : `${name} must be at least ${first.schema?.minLength} characters`;
    case ValueErrorType.StringMaxLength: {
      const length = typeof first.value === "string" ? ` (got ${first.value.length})` : "";
      return `${name} must be at most ${first.schema?.maxLength} characters${length}`;
    }
    default:
      return `${name}: ${first.message}`;
  }
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
