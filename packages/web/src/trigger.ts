/**
 * `POST /events/trigger` from the page, turning every outcome (success, a 4xx/5xx with the
 * server's `{ error: { code, message } }`, a body that is not JSON, no network) into a
 * value the view can show. Never throws.
 */
import type { ErrorResponse, TriggerResponse } from "@events/contract";

/** What happened to one send. */
export type SendResult =
  | { readonly ok: true; readonly id: string; readonly status: string }
  | {
      readonly ok: false;
      /** HTTP status, or 0 when the request never got an answer. */
      readonly httpStatus: number;
      /** The server's error code (e.g. `UNAUTHORIZED`), `NETWORK_ERROR` or `HTTP_<status>`. */
      readonly code: string;
      /** Why, in the server's words when it gave any. */
      readonly message: string;
    };

/** Options of {@link sendMessage}. */
export interface SendOptions {
  /** Bearer token for `Authorization`. @default undefined (no header) */
  readonly token?: string | undefined;
  /** The topic to send to (sent as `topic` beside `message`). @default undefined (the server's default topic) */
  readonly topic?: string | undefined;
  /** The fetch to use. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function asErrorResponse(body: unknown): ErrorResponse | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const { code, message } = body.error;
  return typeof code === "string" && typeof message === "string" ? { error: { code, message } } : undefined;
}

function asTriggerResponse(body: unknown): TriggerResponse | undefined {
  if (!isRecord(body) || typeof body.id !== "string" || typeof body.status !== "string") return undefined;
  return { id: body.id, status: body.status, clients: typeof body.clients === "number" ? body.clients : 0 };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    // A proxy's HTML error page or an empty 413: the status line is all we have.
    return undefined;
  }
}

/**
 * Sends one message to every client of a topic (`options.topic`, else the default topic).
 * @example
 * const result = await sendMessage(new URL("events/trigger", document.baseURI), "hello");
 * if (!result.ok) show(`${result.httpStatus} ${result.code}: ${result.message}`);
 */
export async function sendMessage(url: string | URL, message: string, options: SendOptions = {}): Promise<SendResult> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { method: "POST", headers, body: JSON.stringify(options.topic ? { message, topic: options.topic } : { message }) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, httpStatus: 0, code: "NETWORK_ERROR", message: `the server cannot be reached (${reason})` };
  }
  const body = await readJson(response);
  if (response.ok) {
    const accepted = asTriggerResponse(body);
    if (accepted) return { ok: true, id: accepted.id, status: accepted.status };
    return { ok: false, httpStatus: response.status, code: "BAD_RESPONSE", message: "the server answered without an event id" };
  }
  const failure = asErrorResponse(body);
  return {
    ok: false,
    httpStatus: response.status,
    code: failure?.error.code ?? `HTTP_${response.status}`,
    message: failure?.error.message ?? (response.statusText || "the server refused the message"),
  };
}
