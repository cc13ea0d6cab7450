/** A header name as RFC 9110 allows it (a token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Headers whose values `--verbose` shows as `***`. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set(["authorization", "proxy-authorization", "cookie"]);

/**
 * Reads `-H/--header "Name: value"` flags into a header record (names lower-cased; a name
 * given twice gets both values joined with ", ", as HTTP combines repeated fields). Returns
 * the offending flag's reason as a string instead of throwing, so the caller words the usage error.
 *
 * @example
 * parseHeaderFlags(["X-Request-Id: 42"]); // { ok: true, headers: { "x-request-id": "42" } }
 */
export function parseHeaderFlags(
  flags: readonly string[],
): { readonly ok: true; readonly headers: Readonly<Record<string, string>> } | { readonly ok: false; readonly reason: string } {
  const headers: Record<string, string> = {};
  for (const flag of flags) {
    const colon = flag.indexOf(":");
    const name = colon === -1 ? "" : flag.slice(0, colon).trim();
    if (!HEADER_NAME.test(name)) {
      return { ok: false, reason: `--header must be "Name: value" with a header name before the colon (got ${JSON.stringify(flag)})` };
    }
    const value = flag.slice(colon + 1).trim();
    if (/[\r\n\0]/.test(value)) return { ok: false, reason: `--header ${name} must not contain CR, LF or NUL` };
    const key = name.toLowerCase();
    const earlier = headers[key];
    headers[key] = earlier === undefined ? value : `${earlier}, ${value}`;
  }
  return { ok: true, headers };
}
