import { describeValue } from "@events/sse-core";
import { EventsClientError, httpError } from "./errors.ts";
import type { ResolvedEventsClientOptions } from "./options.ts";
import { withFreshToken } from "./token.ts";

/** One JSON request of the client (trigger, publish): where, what, and how to recognise the answer. */
export interface JsonRequest<T> {
  /** The route path under the base URL, e.g. `/events/publish`. */
  readonly path: string;
  /** The body, sent as JSON. */
  readonly body: unknown;
  readonly signal: AbortSignal | undefined;
  /** Whether a 2xx body is the answer the contract promises. */
  readonly isAnswer: (data: unknown) => data is T;
  /** The answer's shape for the error message, e.g. `"{ id, topics, clients }"`. */
  readonly shape: string;
}

/**
 * POSTs `request.body` as JSON with the client's headers and `fetch`, and resolves to the
 * answer once `isAnswer` accepts it; otherwise throws the `EventsClientError` every
 * request/response call of the SDK reports: `ABORTED`, `NETWORK_ERROR`, `HTTP_ERROR` (with
 * `status` and the server's error body) or `INVALID_RESPONSE`; with a token function, also
 * `TOKEN_ERROR`/`INVALID_TOKEN` before sending. With a token function a 401 is sent once more
 * with a fresh token (a token that expired in flight), then reported. A plain `fetch`, so no Eden or
 * Elysia code reaches a bundle; the types come from the `App` (see `app-types.ts`).
 */
export async function postJson<T>(client: ResolvedEventsClientOptions, request: JsonRequest<T>): Promise<T> {
  const url = `${client.baseUrl}${request.path}`;
  const label = `POST ${url}`;
  const { signal } = request;
  const body = JSON.stringify(request.body);
  let response: Response;
  let text: string;
  try {
    for (let attempt = 1; ; attempt += 1) {
      const headers = await withFreshToken({ ...client.headers, "content-type": "application/json" }, client.getToken, signal);
      response = await client.fetch(url, { method: "POST", headers, body, ...(signal === undefined ? {} : { signal }) });
      if (response.ok) break;
      if (response.status === 401 && client.getToken !== undefined && attempt === 1) {
        await response.body?.cancel().catch(ignore);
        continue;
      }
      throw await httpError(response, label);
    }
    text = await response.text();
  } catch (cause) {
    // A token function cut short by the caller's abort is an abort, not a token failure.
    if (cause instanceof EventsClientError && !(cause.code === "TOKEN_ERROR" && signal?.aborted)) throw cause;
    if (signal?.aborted) throw new EventsClientError("ABORTED", `${label} was aborted`, { cause: signal.reason });
    throw new EventsClientError("NETWORK_ERROR", `${label} could not reach the server (${String(cause)})`, { cause });
  }
  const data = parseJsonAnswer(text, response.headers.get("content-type"));
  if (request.isAnswer(data)) return data;
  throw new EventsClientError("INVALID_RESPONSE", `the answer to ${label} must be JSON ${request.shape} (got ${describeValue(text)})`, {
    status: response.status,
    body: data,
  });
}

/** The answer's JSON, or its text when it is not JSON (then no `isAnswer` accepts it). */
function parseJsonAnswer(text: string, contentType: string | null): unknown {
  if (!(contentType ?? "").includes("json")) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not the JSON it claims to be: the text goes into the INVALID_RESPONSE error.
    return text;
  }
}

/** Cancelling an answer we will not read may reject; it is dropped either way. */
function ignore(): void {}
