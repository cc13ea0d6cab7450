/**
 * Wire-level and domain types shared by the encoder, the parser and the brokers.
 * @module
 */

/** An event id as the wire carries it: an opaque string to clients. */
export type EventId = string;

/** An event to write to the wire (input of {@link encodeEvent}). */
export interface SseEvent {
  /** The `id:` field. Must not contain CR, LF or NUL. Omitted when undefined. */
  readonly id?: string;
  /** The `event:` field (event type). Must not contain CR or LF. Omitted when undefined. */
  readonly event?: string;
  /** The payload. Split into one `data:` line per line (CR, LF and CRLF all end a line). */
  readonly data: string;
  /** The `retry:` field in milliseconds: a non-negative integer. */
  readonly retry?: number;
  /**
   * The `topic:` field: the topic the event was published to, for a client that follows
   * several. Not a WHATWG field: the spec makes `EventSource` ignore unknown fields, so it
   * breaks no client. Must be a topic name ({@link assertValidTopic}). Omitted when undefined.
   */
  readonly topic?: string;
}

/**
 * An event as a browser's `MessageEvent` exposes it, produced by the parser.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#dispatchMessage
 */
export interface SseMessage {
  /** The event type: the last `event:` field, or `"message"` when none was given. */
  readonly type: string;
  /** The joined `data:` lines, without the final LF. */
  readonly data: string;
  /** The last event id buffer at dispatch time (persists across events, `""` when reset). */
  readonly lastEventId: string;
  /**
   * The event's `topic:` field (our extension, see {@link SseEvent.topic}): the last one of
   * the event's block. Absent when the block had none (an event of the default topic).
   */
  readonly topic?: string;
}

/** What a publisher hands a broker. */
export interface PublishInput {
  /** The event type, `"message"` when omitted. */
  readonly event?: string;
  /** The payload, already serialised (the server uses JSON). */
  readonly data: string;
  /**
   * Makes the publish idempotent: a publish with a key the broker has seen within its
   * idempotency window stores nothing and resolves with the first event's id. Lets a caller
   * retry a publish whose outcome it does not know (`PUBLISH_UNCONFIRMED`) without storing
   * the event twice. Any string; the server takes it from the `Idempotency-Key` header.
   * @default none (every publish stores an event)
   */
  readonly idempotencyKey?: string | undefined;
  /**
   * The topics to publish to: 1 to {@link MAX_PUBLISH_TOPICS} topic names (never patterns),
   * duplicates ignored. One event, one id, stored in each topic's history; a subscriber
   * following several of them receives it once.
   * @default [DEFAULT_TOPIC] ("events")
   */
  readonly topics?: readonly string[] | undefined;
}

/** An event a broker has accepted: it has an id, a place in history, and its wire bytes. */
export interface StoredEvent {
  readonly id: EventId;
  readonly event: string;
  readonly data: string;
  /** The topics it was published to (names, in the publisher's order, no duplicates). */
  readonly topics: readonly string[];
  /**
   * The complete encoded frame (`id:`, `event:`, `data:` lines and the blank line) with no
   * `topic:` line, as a subscriber of the default topic receives it; encoded once and shared
   * by every client.
   */
  readonly frame: Uint8Array;
  /**
   * The frame with a `topic:` line naming `topic` (one of {@link topics}), as a subscriber
   * that got the event through that topic receives it; encoded once per topic and shared.
   */
  frameFor(topic: string): Uint8Array;
  /**
   * `frame.byteLength`, for a broker that encodes `frame` on first read: history counts
   * bytes with it without forcing the encoding. Must equal `frame.byteLength` when given.
   */
  readonly frameLength?: number;
}
