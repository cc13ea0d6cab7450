/**
 * The trigger token: `POST /events/trigger` and `POST /events/publish` take
 * `Authorization: Bearer <token>` when one is set. Checked by those routes themselves, first,
 * before the body is read; no other route, of ours or of an app we are mounted in, is guarded by it.
 */
import { parseBearerHeader } from "../../auth/bearer-header.ts";
import { sameBytes } from "../../auth/same-bytes.ts";
import { HttpError } from "../../errors.ts";

const encoder = new TextEncoder();

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
    const token = parseBearerHeader(header);
    if (token === undefined) {
      throw new HttpError("UNAUTHORIZED", "Authorization header must be Bearer <token>", challenge);
    }
    if (!sameBytes(encoder.encode(token), expected)) {
      throw new HttpError("UNAUTHORIZED", "wrong trigger token", challenge);
    }
  };
}
