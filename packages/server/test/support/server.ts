/**
 * Test support: a real server in the test's process on an ephemeral loopback port (the Bun
 * entry's `startBunServer`), and an SSE reader over `fetch` built on sse-core's parser whose
 * waits wake on each event, not on a timer. For the server as a child process, see
 * `server-process.ts`.
 */
import { createParser, type SseMessage } from "@events/sse-core";
import { Changes } from "./changes.ts";
import type { ServerOptions } from "../../src/options.ts";
import { type BunServeOptions, startBunServer } from "../../src/runtime/bun.ts";

/** Runs `body` against a fresh server on 127.0.0.1:0 and always shuts it down. */
export async function withServer<T>(
  options: Partial<ServerOptions>,
  body: (url: URL) => Promise<T>,
  serve: BunServeOptions = {},
): Promise<T> {
  const running = await startBunServer(
    { httpPort: 0, host: "127.0.0.1", webRoot: false, ...options },
    { onError: () => undefined, onInternalError: () => undefined, shutdownGraceMs: 1000, ...serve },
  );
  try {
    return await body(running.url);
  } finally {
    await running.shutdown();
  }
}

/** One open stream read with `fetch` and sse-core's parser. */
export interface StreamReader {
  readonly response: Response;
  /** Every event dispatched so far, in order. */
  readonly events: SseMessage[];
  /** `retry:` values seen. */
  readonly retries: number[];
  /** Comments seen (keepalives). */
  readonly comments: string[];
  /** The body received so far, decoded as UTF-8: the exact wire text, for byte comparisons. */
  text(): string;
  /** Settles when the body ends: `"ended"` (clean) or `"errored"`. */
  readonly closed: Promise<"ended" | "errored">;
  /** The `message` events' `message` payloads. */
  messages(): string[];
  /** Waits until at least `count` events of `type` arrived. */
  waitForEvents(type: string, count: number, timeoutMs?: number): Promise<SseMessage[]>;
  /** Waits until `condition` holds, checked after each event, comment and the end of the body. */
  until(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Disconnects. */
  close(): void;
}

/** Opens `GET /events/stream` (with optional headers / query) and reads it in the background. */
export async function openStream(
  url: URL,
  init: { lastEventId?: string; query?: string; headers?: Record<string, string> } = {},
): Promise<StreamReader> {
  const controller = new AbortController();
  const target = new URL(`/events/stream${init.query ?? ""}`, url);
  const headers: Record<string, string> = { accept: "text/event-stream", ...init.headers };
  if (init.lastEventId !== undefined) headers["last-event-id"] = init.lastEventId;
  const response = await fetch(target, { headers, signal: controller.signal });
  const events: SseMessage[] = [];
  const retries: number[] = [];
  const comments: string[] = [];
  const changes = new Changes();
  const decoder = new TextDecoder();
  let text = "";
  const parser = createParser({
    onEvent: (event) => {
      events.push(event);
      changes.notify();
    },
    onRetry: (ms) => retries.push(ms),
    onComment: (text) => {
      comments.push(text);
      changes.notify();
    },
  });
  const closed = (async (): Promise<"ended" | "errored"> => {
    if (response.body === null) return "ended";
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return "ended";
        text += decoder.decode(value, { stream: true });
        parser.feed(value);
      }
    } catch {
      return "errored";
    }
  })();
  void closed.then(() => changes.notify());
  return {
    response,
    events,
    retries,
    comments,
    closed,
    text: () => text,
    messages: () => events.filter((e) => e.type === "message").map((e) => (JSON.parse(e.data) as { message: string }).message),
    async waitForEvents(type, count, timeoutMs = 5000) {
      await changes.until(() => events.filter((e) => e.type === type).length >= count, `${count} "${type}" events`, timeoutMs);
      return events.filter((e) => e.type === type);
    },
    until: (condition, what, timeoutMs) => changes.until(condition, what, timeoutMs),
    close: () => controller.abort(),
  };
}

/** What `POST /events/publish` answered: its status and parsed body. */
export interface PublishAnswer {
  readonly status: number;
  readonly body: { id?: string; topics?: string[]; clients?: number; error?: { code: string; message: string } };
}

/** `POST /events/publish` with a JSON body (`{ topic | topics, event?, data }`). */
export async function publish(url: URL, body: unknown, headers: Record<string, string> = {}): Promise<PublishAnswer> {
  const response = await fetch(new URL("/events/publish", url), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as never };
}

/** `POST /events/trigger` with a JSON message; returns status and parsed body. */
export async function trigger(
  url: URL,
  message: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { status?: string; id?: string; clients?: number; error?: { code: string; message: string } } }> {
  const response = await fetch(new URL("/events/trigger", url), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ message }),
  });
  return { status: response.status, body: (await response.json()) as never };
}
