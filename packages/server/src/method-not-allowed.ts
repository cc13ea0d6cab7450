/**
 * `405 Method Not Allowed` with `Allow` (RFC 9110 §15.5.6): the answer itself, and the stand-in
 * routes a plugin registers for the other methods of its own paths, so it answers 405 for them
 * without a global hook (a host's 404s stay the host's).
 */
import { HttpError, errorResponse } from "./errors.ts";
import { normalizeRoutePath, type RouteLike } from "./allowed-methods.ts";
import { requestPath } from "./request-url.ts";

/**
 * The methods a stand-in answers 405 for. Not OPTIONS: a CORS preflight belongs to whatever
 * answers preflights in the host (a stand-in would shadow its `OPTIONS /*` route).
 */
const STAND_IN_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

/** The handlers of stand-in routes, so the route table can leave them out of `Allow`. */
const standIns = new WeakSet<object>();

/**
 * The 405 error for a request on a path served under other methods.
 * @example
 * methodNotAllowed(new Request("http://h/events/trigger"), "POST"); // HttpError METHOD_NOT_ALLOWED, Allow: POST
 */
export function methodNotAllowed(request: Request, allow: string): HttpError {
  const path = normalizeRoutePath(requestPath(request.url));
  return new HttpError("METHOD_NOT_ALLOWED", `${request.method} is not allowed on ${path}; use ${allow}`, { headers: { allow } });
}

/** The part of an Elysia instance {@link addMethodStandIns} uses. */
export interface RouteRegistrar {
  route(method: string, path: string, handler: (context: { request: Request }) => Response, hook: { detail: { hide: true } }): unknown;
}

/**
 * Registers, on `app`, a route answering 405 with `Allow` for each method of
 * {@link STAND_IN_METHODS} that `path` is not served under (a GET route serves HEAD too).
 * The routes are hidden from OpenAPI and are not part of the app's type.
 * @example
 * addMethodStandIns(app, "/events/trigger", ["POST"]); // GET, HEAD, PUT, PATCH, DELETE → 405 Allow: POST
 */
export function addMethodStandIns(app: RouteRegistrar, path: string, served: readonly string[]): void {
  const methods = new Set(served);
  if (methods.has("GET")) methods.add("HEAD");
  const allow = STAND_IN_METHODS.filter((method) => methods.has(method)).join(", ");
  const handler = ({ request }: { request: Request }): Response => errorResponse(methodNotAllowed(request, allow));
  standIns.add(handler);
  for (const method of STAND_IN_METHODS) {
    if (!methods.has(method)) app.route(method, path, handler, { detail: { hide: true } });
  }
}

/** Whether a route of an app's table is a stand-in (serves nothing: answers 405). */
export function isMethodStandIn(route: RouteLike & { readonly handler?: unknown }): boolean {
  return typeof route.handler === "function" && standIns.has(route.handler);
}
