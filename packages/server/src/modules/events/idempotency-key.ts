/**
 * The `Idempotency-Key` request header of a publish: a client's name for one event, so a
 * retry after an unknown outcome (503 PUBLISH_UNCONFIRMED, a timeout, a dropped connection)
 * stores it at most once.
 */
import { describeValue } from "@events/sse-core";
import { HttpError } from "../../errors.ts";

/** The header, as Elysia and `Headers` name it (lower case). */
export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";

/** The most characters a key may have. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

// Visible ASCII (VCHAR, 0x21-0x7E): no spaces or controls, nothing a proxy might rewrite.
const IDEMPOTENCY_KEY = new RegExp(`^[\\x21-\\x7e]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}$`);

/**
 * The request's idempotency key, or undefined when it sent none.
 * @throws {HttpError} `INVALID_IDEMPOTENCY_KEY` (400) for a key that is empty, longer than
 *   200 characters, or has a character outside printable ASCII (or a space).
 */
export function readIdempotencyKey(headers: Headers): string | undefined {
  const key = headers.get(IDEMPOTENCY_KEY_HEADER);
  return key === null ? undefined : checkIdempotencyKey(key);
}

/**
 * A key as given (a header's value, or an in-process publish's `idempotencyKey` option).
 * @throws {HttpError} `INVALID_IDEMPOTENCY_KEY` (400), as {@link readIdempotencyKey}.
 */
export function checkIdempotencyKey(key: string): string {
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new HttpError(
      "INVALID_IDEMPOTENCY_KEY",
      `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters without spaces (got ${describeValue(key)}); ` +
        "send one key per event, e.g. a UUID, or no header",
    );
  }
  return key;
}
