import { createParser, type SseMessage, type SseParser } from "@events/sse-core";
import { AUTH_EXPIRED_EVENT, readAuthExpired, type AuthExpiry } from "./auth-expired.ts";
import { EventsClientError } from "./errors.ts";

/**
 * Turns a parsed message into what the stream hands out: an event, `undefined` to skip it, or
 * the `EventsClientError` that ends the stream (data a typed event cannot have).
 */
export type MessageReader<T> = (message: SseMessage) => T | EventsClientError | undefined;

/**
 * The reading side of a `ReconnectingStream`: the bytes of each connection in, the events to
 * hand out, and what the server said besides (`retry:`, `auth-expired`). Its parser keeps the
 * last event id from one connection to the next.
 */
export class EventFeed<T> {
  readonly #url: string;
  readonly #read: MessageReader<T>;
  readonly #parser: SseParser;
  /** Events parsed from the current chunk, not yet handed to the consumer. */
  readonly #queue: T[] = [];
  #fatal: EventsClientError | undefined;
  /** Bytes received since the parser last completed something: what it may be holding. */
  #unfinishedBytes = 0;
  /** Whether the current connection received an event: a healthy connection. */
  #receivedEvent = false;
  /** The current connection's `auth-expired` event, once it came. */
  #authExpiry: AuthExpiry | undefined;
  #serverRetryMs: number | undefined;

  /** `initialId` ("" for none) is where the stream resumes; `url` names the stream in errors. */
  constructor(url: string, read: MessageReader<T>, initialId: string) {
    this.#url = url;
    this.#read = read;
    this.#parser = createParser({
      onEvent: (message) => this.#onEvent(message),
      onRetry: (ms) => {
        this.#unfinishedBytes = 0;
        this.#serverRetryMs = ms;
      },
      onComment: () => {
        this.#unfinishedBytes = 0;
      },
    });
    // Seeds the parser's last event id: a block with an id and no data dispatches nothing.
    if (initialId !== "") this.#parser.feed(`id: ${initialId}\n\n`);
  }

  /** The id the parser holds: of the last event, or set by an `id:` field since. */
  get lastEventId(): string {
    return this.#parser.lastEventId;
  }

  /** The server's latest `retry:`, in milliseconds, from any connection. */
  get serverRetryMs(): number | undefined {
    return this.#serverRetryMs;
  }

  /** Whether the current connection received an event. */
  get receivedEvent(): boolean {
    return this.#receivedEvent;
  }

  /** The current connection's `auth-expired` event, once it came. */
  get authExpiry(): AuthExpiry | undefined {
    return this.#authExpiry;
  }

  /** The error a message's reader returned: the stream ends with it once the events before it are out. */
  get fatal(): EventsClientError | undefined {
    return this.#fatal;
  }

  /** Starts a new connection: the parser's unfinished line and event, and what the last connection said, go. */
  reset(): void {
    this.#receivedEvent = false;
    this.#authExpiry = undefined;
    this.#unfinishedBytes = 0;
    this.#parser.reset();
  }

  /** Parses a chunk of the current connection; its events wait for {@link take}. */
  feed(chunk: Uint8Array): void {
    this.#unfinishedBytes += chunk.byteLength;
    this.#parser.feed(chunk);
  }

  /** The next event parsed and not yet handed out, or `undefined` for none. */
  take(): T | undefined {
    return this.#queue.shift();
  }

  /** Drops the events not handed out (the connection is over). */
  clear(): void {
    this.#queue.length = 0;
  }

  /** Throws `EVENT_TOO_LARGE` once over `maxEventBytes` arrived without completing anything. */
  checkUnfinishedBytes(maxEventBytes: number | false): void {
    if (maxEventBytes === false || this.#unfinishedBytes <= maxEventBytes) return;
    // The parser buffers an unfinished line and event whole (WHATWG has no limit): stop here
    // rather than let a broken or hostile server grow this process's memory.
    throw new EventsClientError(
      "EVENT_TOO_LARGE",
      `the stream sent over ${maxEventBytes} bytes without completing an event; ` +
        "is the URL an event stream? (raise the client option maxEventBytes if events are that large)",
    );
  }

  #onEvent(message: SseMessage): void {
    this.#unfinishedBytes = 0;
    this.#receivedEvent = true;
    if (this.#fatal !== undefined) return;
    if (message.type === AUTH_EXPIRED_EVENT) {
      this.#authExpiry ??= readAuthExpired(message.data, this.#url);
      return;
    }
    const event = this.#read(message);
    if (event instanceof EventsClientError) this.#fatal = event;
    else if (event !== undefined) this.#queue.push(event);
  }
}
