/**
 * The credentials of an `Authorization: Bearer <token>` header (RFC 6750 §2.1): the scheme in
 * any case, one token of visible characters, trailing spaces ignored.
 */

/**
 * The token of an Authorization header value, or `undefined` when the header is not exactly
 * `Bearer <token>` (another scheme, no token, two tokens).
 * @example
 * parseBearerHeader("Bearer abc"); // "abc"
 * parseBearerHeader("Basic abc"); // undefined
 */
export function parseBearerHeader(header: string): string | undefined {
  return /^Bearer[ ]+(\S+)\s*$/i.exec(header)?.[1];
}
