import type { FetchFunction } from "../connection-options.ts";

/** A request the scripted server received. */
export interface RecordedRequest {
  readonly url: string;
  readonly headers: Headers;
  readonly signal: AbortSignal | undefined;
  /** The `redirect` mode the request asked `fetch` for. */
  readonly redirect: RequestRedirect | undefined;
}

/** One answer of the scripted server: a Response, or a thrown error (network failure). */
export type Step = (request: RecordedRequest) => Response | Promise<Response>;

/** How an SSE body ends after its chunks. */
export type BodyEnd = "close" | "error" | "hang";

const encoder = new TextEncoder();

/** A body that sends `chunks` (each its own read) and then closes, errors (a reset) or stays open. */
export function chunkedBody(chunks: readonly string[], end: BodyEnd, signal?: AbortSignal): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index];
      index += 1;
      if (chunk !== undefined) return controller.enqueue(encoder.encode(chunk));
      if (end === "close") return controller.close();
      if (end === "error") return controller.error(new TypeError("connection reset"));
      // "hang": never settles until the request is aborted, like a silent server.
      return new Promise<void>((resolve) => {
        signal?.addEventListener("abort", () => {
          controller.error(new DOMException("aborted", "AbortError"));
          resolve();
        });
      });
    },
  });
}

/** A 200 `text/event-stream` answer whose body sends `chunks` then ends as `end`. */
export function sse(chunks: readonly string[], end: BodyEnd = "close", headers: Record<string, string> = {}): Step {
  return (request) =>
    new Response(chunkedBody(chunks, end, request.signal), {
      status: 200,
      headers: { "content-type": "text/event-stream", ...headers },
    });
}

/** A 200 `text/event-stream` answer whose body the test writes to with `push` (and ends with `end`). */
export function controlledSse(): { step: Step; push(text: string): void; end(): void } {
  let target: ReadableStreamDefaultController<Uint8Array> | undefined;
  const step: Step = () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          target = controller;
        },
      }),
      { status: 200, headers: { "content-type": "text/event-stream" } },
    );
  return {
    step,
    push: (text) => target?.enqueue(encoder.encode(text)),
    end: () => target?.close(),
  };
}

/** An answer with `status`, `headers` and a text body. */
export function answer(status: number, headers: Record<string, string> = {}, body: string | null = null): Step {
  return () => new Response(status === 204 ? null : body, { status, headers });
}

/** A failed fetch (refused connection). */
export function networkError(): Step {
  return () => Promise.reject(new TypeError("fetch failed: connection refused"));
}

/** A fetch that never answers until aborted. */
export function noAnswer(): Step {
  return (request) =>
    new Promise<Response>((_resolve, reject) => {
      request.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
    });
}

/** A fetch that ignores its abort signal and never answers (a broken custom `fetch`). */
export function ignoresAbort(): Step {
  return () => new Promise<Response>(() => {});
}

/** What a browser answers to `redirect: "manual"` when the server redirects: status 0, no headers. */
export function opaqueRedirect(): Step {
  return () =>
    Object.defineProperties(new Response(null, { status: 200 }), {
      type: { value: "opaqueredirect" },
      status: { value: 0 },
    });
}

/** A frame: `id`, optional `event`, JSON `data`, blank line. */
export function frame(id: string, event: string | undefined, data: unknown): string {
  return `id: ${id}\n${event === undefined ? "" : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`;
}

/**
 * A misbehaving server scripted step by step: the n-th request gets the n-th step; after the
 * last step every request gets a 204 (so a test's stream ends by itself).
 */
export function scriptedFetch(steps: readonly Step[]): { fetch: FetchFunction; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetch: FetchFunction = async (input, init) => {
    const request: RecordedRequest = {
      url: input,
      headers: new Headers(init.headers),
      signal: init.signal ?? undefined,
      redirect: init.redirect,
    };
    const step = steps[requests.length] ?? answer(204);
    requests.push(request);
    return step(request);
  };
  return { fetch, requests };
}
