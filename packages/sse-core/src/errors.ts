/** Why an {@link SseError} was thrown. */
export type SseErrorCode =
  | "INVALID_ID"
  | "INVALID_EVENT_NAME"
  | "INVALID_RETRY"
  | "INVALID_OPTION"
  | "BROKER_CLOSED"
  /** The broker surely did not store the event (e.g. the command was never sent): retrying is safe. */
  | "BROKER_UNAVAILABLE"
  /**
   * The command was sent but not confirmed (e.g. it timed out): the event may or may not have
   * been stored. Retry with the same `idempotencyKey` to store it at most once.
   */
  | "PUBLISH_UNCONFIRMED"
  | "SLOW_CONSUMER"
  /** A topic name breaks the topic rules (or is a pattern where a topic is needed). */
  | "INVALID_TOPIC"
  /** A subscription pattern is not a topic, `<topic>/*` or `*`. */
  | "INVALID_TOPIC_PATTERN";

/**
 * The one error class of `@events/sse-core`. Thrown for invalid wire input given to the
 * encoder, invalid options at construction, and publishes a broker could not store (or
 * could not confirm).
 * Stream conditions (history gaps, slow consumers) are reported as data, never thrown.
 */
export class SseError extends Error {
  override readonly name = "SseError";
  readonly code: SseErrorCode;

  constructor(code: SseErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Quotes a value for an error message, truncated so a huge input cannot flood logs. */
export function describeValue(value: unknown, maxLength = 40): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}
