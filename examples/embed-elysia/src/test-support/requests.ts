/**
 * Test support: requests answered in process by `app.handle` (no socket), as a signed-in
 * user or anonymously, and an event stream's body read event by event.
 */
import { createParser, type SseMessage } from "@events/sse-core";
import { SESSION_HEADER } from "../session.ts";

/** Anything with Elysia's `handle`. */
export interface Handler {
  handle(request: Request): Promise<Response>;
}

/** `app.handle` on `http://localhost<path>`. */
export function request(app: Handler, path: string, init: RequestInit = {}): Promise<Response> {
  return app.handle(new Request(`http://localhost${path}`, init));
}

/** A JSON request (`body` sent as JSON) as `user`, or anonymous when `user` is undefined. */
export function jsonRequest(app: Handler, method: string, path: string, body: unknown, user: string | undefined, headers: Record<string, string> = {}): Promise<Response> {
  return request(app, path, {
    method,
    headers: { "content-type": "application/json", ...(user === undefined ? {} : { [SESSION_HEADER]: user }), ...headers },
    body: JSON.stringify(body),
  });
}

/** Reads an event stream's body through sse-core's parser, one event at a time. */
export class EventReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #queue: SseMessage[] = [];
  readonly #parser = createParser({ onEvent: (event) => this.#queue.push(event) });

  constructor(response: Response) {
    if (response.body === null) throw new Error(`no stream body (status ${response.status})`);
    this.#reader = response.body.getReader();
  }

  /** The next event; rejects when the stream ends first. */
  async next(): Promise<SseMessage> {
    while (this.#queue.length === 0) {
      const { done, value } = await this.#reader.read();
      if (done) throw new Error("the stream ended");
      this.#parser.feed(value);
    }
    return this.#queue.shift() as SseMessage;
  }

  /** Stops reading (the server ends the client's stream). */
  cancel(): Promise<void> {
    return this.#reader.cancel();
  }
}

/** Opens `GET /events/stream?topic=<topic>` in process (as `user`, else anonymously) and waits for its `connected` event. */
export async function follow(app: Handler, topic: string, user?: string): Promise<EventReader> {
  const headers: Record<string, string> = user === undefined ? {} : { [SESSION_HEADER]: user };
  const response = await request(app, `/events/stream?topic=${encodeURIComponent(topic)}`, { headers });
  if (response.status !== 200) throw new Error(`stream answered ${response.status}: ${await response.text()}`);
  const reader = new EventReader(response);
  const first = await reader.next();
  if (first.type !== "connected") throw new Error(`expected connected first, got ${first.type}`);
  return reader;
}
