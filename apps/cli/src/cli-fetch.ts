import { formatDuration } from "./duration.ts";
import { TimeoutError } from "./failure.ts";
import { SECRET_HEADERS } from "./headers.ts";

/** Options of {@link createCliFetch}. */
export interface CliFetchOptions {
  /** The fetch to wrap. */
  readonly fetch: typeof fetch;
  /** How long to wait for the answer's status and headers; 0 = no limit. */
  readonly timeoutMs: number;
  /** Where `--verbose` lines go; undefined = quiet. */
  readonly log: ((line: string) => void) | undefined;
  /** Names (lower case) of the `-H` headers `--verbose` shows, secrets as `***`. @default [] */
  readonly headerNames?: readonly string[];
}

/** The fetch shape the SDK calls. */
export type CliFetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * The fetch the CLI hands the SDK: it bounds the wait for an answer's headers (not the
 * body, so a long stream is never cut) and, with `--verbose`, logs each request and answer.
 */
export function createCliFetch(options: CliFetchOptions): CliFetch {
  const { fetch: inner, timeoutMs, log, headerNames = [] } = options;
  return async (input, init) => {
    const request = new Request(input, init);
    const started = performance.now();
    log?.(`> ${request.method} ${request.url}${describeHeaders(request.headers, headerNames)}`);
    const controller = new AbortController();
    const callerSignal = request.signal;
    const onCallerAbort = (): void => controller.abort(callerSignal.reason);
    if (callerSignal.aborted) onCallerAbort();
    else callerSignal.addEventListener("abort", onCallerAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      if (timeoutMs <= 0) return;
      timer = setTimeout(() => {
        const error = new TimeoutError(new URL(request.url).origin, timeoutMs);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    });
    try {
      const response = await Promise.race([inner(request, { signal: controller.signal }), timeout]);
      log?.(`< ${response.status} ${response.statusText} (${response.headers.get("content-type") ?? "no content type"}) in ${formatDuration(performance.now() - started)}`);
      return response;
    } catch (error) {
      log?.(`< failed after ${formatDuration(performance.now() - started)}: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    } finally {
      clearTimeout(timer);
      callerSignal.removeEventListener("abort", onCallerAbort);
    }
  };
}

/** The headers worth seeing in `--verbose` (the user's own included), with secrets hidden. */
function describeHeaders(headers: Headers, headerNames: readonly string[]): string {
  const shown: string[] = [];
  const lastEventId = headers.get("last-event-id");
  if (lastEventId !== null) shown.push(`Last-Event-ID: ${lastEventId}`);
  if (headers.has("authorization") && !headerNames.includes("authorization")) shown.push("Authorization: Bearer ***");
  for (const name of headerNames) {
    const value = headers.get(name);
    if (value !== null) shown.push(`${name}: ${SECRET_HEADERS.has(name) ? "***" : value}`);
  }
  return shown.length === 0 ? "" : ` (${shown.join(", ")})`;
}
