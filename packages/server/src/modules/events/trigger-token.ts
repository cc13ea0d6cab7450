/**
 * The trigger token: `POST /events/trigger` and `POST /events/publish` take
 * `Authorization: Bearer <token>` when one is set. Checked by those routes themselves, first,
 * before the body is read; no other route, of ours or of an app we are mounted in, is guarded by it.
 */
import { HttpError } from "../../errors.ts";

const encoder = new TextEncoder();

/** Compares in time that depends only on the lengths, so the token cannot be guessed byte by byte. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a[i % Math.max(a.length, 1)] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/**
 * Returns the check for a request's bearer token: it throws 401 `UNAUTHORIZED` (with
 * `WWW-Authenticate: Bearer`) when the header is missing, malformed or wrong. `undefined`
 * when no token is set (nothing to check). The token is never taken from the query string.
 * @example
 * const check = createTriggerTokenCheck("s3cret");
 * check?.(request); // throws HttpError UNAUTHORIZED unless `Authorization: Bearer s3cret`
 */
export function createTriggerTokenCheck(token: string | false): ((request: Request) => void) | undefined {
  if (token === false) return undefined;
  const expected = encoder.encode(token);
  const challenge = { headers: { "www-authenticate": 'Bearer realm="events"' } };
  return (request) => {
    const header = request.headers.get("authorization");
    if (header === null) {
      throw new HttpError("UNAUTHORIZED", "missing Authorization header; send Authorization: Bearer <token>", challenge);
    }
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (match?.[1] === undefined) {
      throw new HttpError("UNAUTHORIZED", "Authorization header must be Bearer <token>", challenge);
    }
    if (!sameBytes(encoder.encode(match[1]), expected)) {
      throw new HttpError("UNAUTHORIZED", "wrong trigger token", challenge);
    }
  };
}
