/**
 * The CSRF defence of cookie-authenticated writes: a browser sends the auth cookie with any
 * request to this server, whichever site made it, so a publish or trigger authenticated by the
 * cookie must come from a page of this server's own origin or of an allow-listed one. Browsers
 * send `Origin` with every POST, and a page cannot forge it; a client sending a Bearer token
 * needs no such check (another site cannot make a browser add that header).
 */
import { HttpError } from "../errors.ts";

/** Options of {@link createCsrfCheck}. */
export interface CsrfOptions {
  /**
   * Origins besides the server's own whose pages may publish with the cookie: the CORS
   * allow-list. `"*"` in it is ignored (it allows no credentials). @default none
   */
  readonly trustedOrigins?: readonly string[] | false;
}

/**
 * Returns the check of a cookie-authenticated write: it throws 403 `CSRF_REJECTED` unless the
 * request's `Origin` is the request's own origin (the same host and port: behind a TLS proxy
 * the scheme the server sees may differ) or a trusted one. A missing or `null` Origin is refused.
 * @example
 * const checkOrigin = createCsrfCheck({ trustedOrigins: ["https://app.example.com"] });
 * if (grant.source === "cookie") checkOrigin(request);
 */
export function createCsrfCheck(options: CsrfOptions = {}): (request: Request) => void {
  const trusted = new Set((options.trustedOrigins || []).filter((origin) => origin !== "*"));
  return (request) => {
    const origin = request.headers.get("origin");
    if (origin !== null && (trusted.has(origin) || isSameHost(origin, request.url))) return;
    const shown = origin === null ? "no Origin header" : `Origin ${JSON.stringify(origin.slice(0, 100))}`;
    throw new HttpError(
      "CSRF_REJECTED",
      `a publish authenticated by the auth cookie must come from this server's origin or an allowed one (--cors-origin); ` +
        `got ${shown}. Services and scripts send Authorization: Bearer <token> instead`,
    );
  };
}

/** Whether `origin` names the same host and port as `url`. */
function isSameHost(origin: string, url: string): boolean {
  if (!URL.canParse(origin) || !URL.canParse(url)) return false;
  const from = new URL(origin);
  return (from.protocol === "http:" || from.protocol === "https:") && from.host === new URL(url).host;
}
