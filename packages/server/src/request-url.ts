/**
 * A request's URL as the runtime hands it over, which is not always a URL: Bun builds
 * `request.url` from the `Host` header as sent, so `Host: a b` or `Host: a:99999` give a
 * string `new URL()` rejects, and an HTTP/1.0 request without `Host` gives the bare path.
 * This module is the one place that decides what such a request becomes.
 */
import { errorResponse, HttpError } from "./errors.ts";

/** The host put in front of a bare path: an HTTP/1.0 request may omit `Host` (RFC 1945). */
const NO_HOST_BASE = "http://localhost";

/**
 * The request to serve, or the `400 BAD_REQUEST` answer for a `Host` that cannot form a URL.
 * A request whose URL parses is returned as it is (no copy); one with no `Host` at all
 * (HTTP/1.0) is served as if sent to `localhost`.
 * @example
 * const checked = checkRequestUrl(request);
 * return checked instanceof Response ? checked : app.fetch(checked);
 */
export function checkRequestUrl(request: Request): Request | Response {
  const url = request.url;
  if (URL.canParse(url)) return request;
  // Bun also hands over the bare path when a Host header was sent but unusable (`a b`).
  if (url.startsWith("/") && !request.headers.has("host") && URL.canParse(url, NO_HOST_BASE)) {
    return new Request(new URL(url, NO_HOST_BASE), request);
  }
  return errorResponse(
    new HttpError("BAD_REQUEST", "the Host header cannot form a URL; send Host: <name>[:<port>] with a port of at most 65535"),
  );
}

/**
 * The path of a request URL, for error handling: never throws, whatever the URL is.
 * @example
 * requestPath("http://a:99999/events/trigger?x=1"); // "/events/trigger"
 */
export function requestPath(url: string): string {
  const schemeEnd = url.indexOf("://");
  const pathStart = schemeEnd === -1 ? url.indexOf("/") : url.indexOf("/", schemeEnd + 3);
  if (pathStart === -1) return "/";
  const queryStart = url.indexOf("?", pathStart);
  return queryStart === -1 ? url.slice(pathStart) : url.slice(pathStart, queryStart);
}
