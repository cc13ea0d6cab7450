import { describeValue } from "@events/sse-core";
import { EventsClientError, serverErrorMessage } from "./errors.ts";

/** What an Eden treaty call resolves to, as far as reading its answer needs. */
export interface EdenResult {
  readonly data: unknown;
  readonly error: { readonly value: unknown } | null;
  /** Undefined when `fetch` itself failed (Eden then reports a made-up 503). */
  readonly response: Response | undefined;
  readonly status: number;
}

/** The request an answer belongs to, for error messages and the abort check. */
export interface EdenRequest {
  /** `"POST http://host/events/trigger"`. */
  readonly label: string;
  readonly signal: AbortSignal | undefined;
}

/**
 * The data of a successful Eden call once `isAnswer` accepts it; otherwise throws the
 * `EventsClientError` every request/response call of the SDK reports: `INVALID_RESPONSE`
 * (a success without the contract's JSON, described by `shape`), `ABORTED`, `NETWORK_ERROR`
 * or `HTTP_ERROR` (with `status` and the server's error body).
 */
export function readEdenAnswer<T>(result: EdenResult, request: EdenRequest, isAnswer: (data: unknown) => data is T, shape: string): T {
  const { label, signal } = request;
  if (result.error === null) {
    if (isAnswer(result.data)) return result.data;
    throw new EventsClientError("INVALID_RESPONSE", `the answer to ${label} must be JSON ${shape} (got ${describeValue(JSON.stringify(result.data))})`, {
      status: result.status,
      body: result.data,
    });
  }
  if (result.response === undefined) {
    // Eden reports a failed fetch as a made-up 503 without a response.
    const cause: unknown = result.error.value;
    if (signal?.aborted) throw new EventsClientError("ABORTED", `${label} was aborted`, { cause: signal.reason });
    throw new EventsClientError("NETWORK_ERROR", `${label} could not reach the server (${String(cause)})`, { cause });
  }
  const body: unknown = result.error.value;
  const reason = serverErrorMessage(body) ?? (typeof body === "string" && body !== "" ? describeValue(body) : undefined);
  throw new EventsClientError("HTTP_ERROR", `${label} failed with HTTP ${result.status}${reason === undefined ? "" : ` (${reason})`}`, {
    status: result.status,
    body,
  });
}
