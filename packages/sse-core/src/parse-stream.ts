import { createParser, type SseParser } from "./parse.ts";
import type { SseMessage } from "./types.ts";

/** Options of {@link SseParserStream}. */
export interface SseParserStreamOptions {
  /**
   * Called for every valid `retry` field (milliseconds), as {@link ParserCallbacks.onRetry}.
   * @default undefined (retry fields are ignored)
   */
  readonly onRetry?: ((ms: number) => void) | undefined;
  /**
   * Called for every comment line, as {@link ParserCallbacks.onComment}.
   * @default undefined (comments are ignored)
   */
  readonly onComment?: ((text: string) => void) | undefined;
}

/**
 * A `TransformStream` from the bytes (or decoded text) of a `text/event-stream` body to its
 * events, parsed by {@link createParser}. When the input ends, an event it ended inside is
 * discarded, as the spec says; nothing else is flushed.
 *
 * @example
 * ```ts
 * const response = await fetch("/events/stream", { headers: { accept: "text/event-stream" } });
 * for await (const event of response.body!.pipeThrough(new SseParserStream())) {
 *   console.log(event.type, event.lastEventId, event.data);
 * }
 * ```
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export class SseParserStream extends TransformStream<Uint8Array | string, SseMessage> {
  readonly #parser: SseParser;

  constructor(options: SseParserStreamOptions = {}) {
    let enqueue: (event: SseMessage) => void = () => {};
    const parser = createParser({
      onEvent: (event) => enqueue(event),
      onRetry: options.onRetry,
      onComment: options.onComment,
    });
    super({
      start(controller): void {
        enqueue = (event) => controller.enqueue(event);
      },
      transform(chunk): void {
        parser.feed(chunk);
      },
    });
    this.#parser = parser;
  }

  /** The id a reconnect should send as `Last-Event-ID` (see {@link SseParser.lastEventId}). */
  get lastEventId(): string {
    return this.#parser.lastEventId;
  }
}
