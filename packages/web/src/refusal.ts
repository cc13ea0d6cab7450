/**
 * Why the server refused a stream. `EventSource` reports a refusal (a 400 for a bad topic,
 * a 401, a 503) only as an `error` event, never with the answer: the page asks once more
 * with `fetch`, which can read the server's `{ error: { code, message } }`. Never throws.
 */

/** Options of {@link readRefusal}. */
export interface RefusalOptions {
  /** The fetch to use. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** What the user can do about a refusal of the token (401) or of its topics (403). */
const AUTH_HINTS: Readonly<Record<number, string>> = {
  401: "enter a valid token in the Token field, or sign in to the app for its cookie",
  403: "the token does not grant these topics",
};

/**
 * The server's reason for refusing `url` (`"INVALID_TOPIC_PATTERN: ..."`, or `"HTTP 503"`
 * without a JSON error), with what to do for a 401 or 403 (`"UNAUTHORIZED: ... — enter a
 * valid token ..."`), or `undefined` when it now answers with a stream or cannot be reached.
 * `url` carries the same `?access_token=` as the refused stream, so the question is the same.
 * @example const reason = await readRefusal(connection.url);
 */
export async function readRefusal(url: string | URL, options: RefusalOptions = {}): Promise<string | undefined> {
  let response: Response;
  try {
    // Credentials as the EventSource sent them: the cookie may be what was refused.
    response = await (options.fetch ?? fetch)(url, { headers: { Accept: "text/event-stream" }, cache: "no-store", credentials: "include" });
  } catch {
    // Unreachable now: the status line already says the stream is down.
    return undefined;
  }
  if (response.ok) {
    // It accepts the stream this time: nothing to explain, and no second stream to keep.
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  const reason = await serverReason(response);
  const hint = AUTH_HINTS[response.status];
  return hint === undefined ? reason : `${reason} — ${hint}`;
}

/** `CODE: message` from the server's JSON error, else `HTTP <status>`. */
async function serverReason(response: Response): Promise<string> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    // Not the server's JSON (a proxy's page): the status is all there is.
    body = undefined;
  }
  const error = typeof body === "object" && body !== null && "error" in body ? (body as { error: unknown }).error : undefined;
  if (typeof error === "object" && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code === "string" && typeof message === "string") return `${code}: ${message}`;
  }
  return `HTTP ${response.status}`;
}
