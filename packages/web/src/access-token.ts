/**
 * The page's Token field on the stream URL. `EventSource` cannot send an `Authorization`
 * header (whatwg/html#2177), so a token typed into the page goes as `?access_token=`, which
 * the server accepts only with `--allow-query-token`. Without one, the HttpOnly cookie the
 * app set authorises the stream. The URL with the token is for the request alone: what the
 * page shows is {@link redactAccessToken}'s.
 */

/** The query parameter the server reads a token from. */
export const ACCESS_TOKEN_PARAM = "access_token";

/** `url` with `?access_token=<token>` set, or removed when `token` is empty. */
export function withAccessToken(url: URL, token: string): URL {
  const target = new URL(url);
  if (token === "") target.searchParams.delete(ACCESS_TOKEN_PARAM);
  else target.searchParams.set(ACCESS_TOKEN_PARAM, token);
  return target;
}

/** `url` with the token's value replaced by `REDACTED`, for the debug panel: a token is never shown. */
export function redactAccessToken(url: string): string {
  if (url === "") return url;
  const target = new URL(url);
  if (!target.searchParams.has(ACCESS_TOKEN_PARAM)) return url;
  target.searchParams.set(ACCESS_TOKEN_PARAM, "REDACTED");
  return target.href;
}

/** Whether the stream at `url` is on another origin than the page: then its cookie needs `withCredentials`. */
export function isCrossOrigin(url: URL, pageUrl: string | undefined): boolean {
  return pageUrl !== undefined && url.origin !== new URL(pageUrl).origin;
}
