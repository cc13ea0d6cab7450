/**
 * CORS for browsers on other origins: an allow-list matched exactly (or `"*"`), never a
 * reflection of whatever origin asks. Credentials (the auth cookie, for `EventSource` with
 * `withCredentials`) only for an origin listed by name, never through `"*"`.
 */
import { Elysia } from "elysia";

/** Options of {@link createCorsPlugin}. */
export interface CorsOptions {
  /** Allowed origins, matched exactly, or `["*"]` for any; `false` sends no CORS headers. @default false */
  readonly origins?: readonly string[] | false;
  /** How long a browser may cache a preflight answer, in seconds. @default 600 */
  readonly maxAgeSeconds?: number;
  /**
   * Answer origins listed by name with `Access-Control-Allow-Credentials: true`, so their pages
   * may send the auth cookie. `"*"` never gets it (browsers refuse credentials with `*` anyway):
   * with `["*", "https://app.example"]`, the app gets credentials and everyone else `*`. @default false
   */
  readonly credentials?: boolean;
}

const ALLOWED_METHODS = "GET, POST, OPTIONS";
const ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, Last-Event-ID, Cache-Control";

/**
 * Adds `Access-Control-Allow-Origin` for allowed origins (with `Vary: Origin` unless the answer
 * is `*` for everyone), `Access-Control-Allow-Credentials: true` with `credentials` for origins
 * listed by name, and answers preflight `OPTIONS` requests with 204. A disallowed origin gets
 * no CORS header.
 * @example
 * new Elysia().use(createCorsPlugin({ origins: ["https://app.example.com"] }))
 */
export function createCorsPlugin(options: CorsOptions = {}): Elysia {
  const origins = options.origins ?? false;
  const maxAgeSeconds = options.maxAgeSeconds ?? 600;
  const plugin = new Elysia({ name: "events/cors", seed: origins === false ? "off" : origins.join(",") });
  if (origins === false) return plugin as unknown as Elysia;
  const anyOrigin = origins.includes("*");
  const named = new Set(origins.filter((origin) => origin !== "*"));
  const credentials = options.credentials === true && named.size > 0;
  // The answer depends on the origin unless it is `*` for everyone.
  const varies = !anyOrigin || credentials;
  return plugin.onRequest(({ request, set }) => {
    const origin = request.headers.get("origin");
    if (varies) set.headers["vary"] = "Origin";
    const listed = origin !== null && named.has(origin);
    const allowOrigin = listed && (credentials || !anyOrigin) ? origin : anyOrigin ? "*" : undefined;
    const allowCredentials = credentials && listed;
    if (allowOrigin !== undefined) set.headers["access-control-allow-origin"] = allowOrigin;
    if (allowCredentials) set.headers["access-control-allow-credentials"] = "true";
    const isPreflight = request.method === "OPTIONS" && request.headers.has("access-control-request-method");
    if (!isPreflight) return;
    const headers: Record<string, string> = varies ? { vary: "Origin" } : {};
    if (allowOrigin !== undefined) {
      headers["access-control-allow-origin"] = allowOrigin;
      if (allowCredentials) headers["access-control-allow-credentials"] = "true";
      headers["access-control-allow-methods"] = ALLOWED_METHODS;
      headers["access-control-allow-headers"] = ALLOWED_HEADERS;
      headers["access-control-max-age"] = String(maxAgeSeconds);
    }
    return new Response(null, { status: 204, headers });
  }) as unknown as Elysia;
}
