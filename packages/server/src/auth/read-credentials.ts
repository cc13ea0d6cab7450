/**
 * Where a request's token comes from, in order: `Authorization: Bearer`, the auth cookie,
 * then `?access_token=` when allowed. One place decides, so every route reads the same token.
 */
import { parseBearerHeader } from "./bearer-header.ts";
import { missingCredentials } from "./invalid-token.ts";
import { readCookie } from "./read-cookie.ts";

/** A token as the request carried it, not yet verified. */
export interface Credentials {
  readonly token: string;
  readonly source: "bearer" | "cookie" | "query";
}

/** The options that decide where a token may come from. */
export interface CredentialSources {
  /** The auth cookie's name. */
  readonly authCookie: string;
  /** Whether `?access_token=` is read. */
  readonly allowQueryToken: boolean;
}

/**
 * The request's token, or `undefined` when it carries none.
 * @throws {HttpError} 401 `UNAUTHORIZED` for an Authorization header that is not
 *   `Bearer <token>`, or an `access_token` query parameter while query tokens are off (refused,
 *   not ignored, so the token in the URL is noticed and removed).
 * @example
 * readCredentials(request, { authCookie: "events_token", allowQueryToken: false }); // { token, source: "cookie" }
 */
export function readCredentials(request: Request, sources: CredentialSources): Credentials | undefined {
  const queryToken = request.url.includes("access_token=") ? new URL(request.url).searchParams.get("access_token") : null;
  if (queryToken !== null && !sources.allowQueryToken) {
    throw missingCredentials(
      "query tokens are off on this server (it starts with --allow-query-token to accept ?access_token=); send Authorization: Bearer <token> or the auth cookie",
    );
  }
  const header = request.headers.get("authorization");
  if (header !== null) {
    const token = parseBearerHeader(header);
    if (token === undefined) throw missingCredentials("Authorization header must be Bearer <token>");
    return { token, source: "bearer" };
  }
  const cookie = readCookie(request.headers.get("cookie"), sources.authCookie);
  if (cookie !== undefined) return { token: cookie, source: "cookie" };
  if (queryToken !== null && queryToken !== "") return { token: queryToken, source: "query" };
  return undefined;
}
