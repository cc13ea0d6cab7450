/** Why an {@link SseError} was thrown. */
export type SseErrorCode =
  | "INVALID_ID"
  | "INVALID_EVENT_NAME"
  | "INVALID_RETRY"
  | "INVALID_OPTION"
  | "BROKER_CLOSED"
  | "BROKER_UNAVAILABLE"
  | "SLOW_CONSUMER";

/**
 * The one error class of `@events/sse-core`. Thrown for invalid wire input given to the
 * encoder, invalid options at construction, and publishing to a closed broker.
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
