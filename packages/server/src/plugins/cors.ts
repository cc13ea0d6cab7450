/**
 * CORS for browsers on other origins: an allow-list matched exactly (or `"*"`), never a
 * reflection of whatever origin asks, and never with credentials.
 */
import { Elysia } from "elysia";

/** Options of {@link createCorsPlugin}. */
export interface CorsOptions {
  /** Allowed origins, matched exactly, or `["*"]` for any; `false` sends no CORS headers. @default false */
  readonly origins?: readonly string[] | false;
  /** How long a browser may cache a preflight answer, in seconds. @default 600 */
  readonly maxAgeSeconds?: number;
}

const ALLOWED_METHODS = "GET, POST, OPTIONS";
const ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, Last-Event-ID, Cache-Control";

/**
 * Adds `Access-Control-Allow-Origin` for allowed origins (with `Vary: Origin` unless it is
 * `*`) and answers preflight `OPTIONS` requests with 204.
 * @example
 * new Elysia().use(createCorsPlugin({ origins: ["https://app.example.com"] }))
 */
export function createCorsPlugin(options: CorsOptions = {}): Elysia {
  const origins = options.origins ?? false;
  const maxAgeSeconds = options.maxAgeSeconds ?? 600;
  const plugin = new Elysia({ name: "events/cors", seed: origins === false ? "off" : origins.join(",") });
  if (origins === false) return plugin as unknown as Elysia;
  const anyOrigin = origins.includes("*");
  const allowed = new Set(origins);
  return plugin.onRequest(({ request, set }) => {
    const origin = request.headers.get("origin");
    if (!anyOrigin) set.headers["vary"] = "Origin";
    const allowOrigin = anyOrigin ? "*" : origin !== null && allowed.has(origin) ? origin : undefined;
    if (allowOrigin !== undefined) set.headers["access-control-allow-origin"] = allowOrigin;
    const isPreflight = request.method === "OPTIONS" && request.headers.has("access-control-request-method");
    if (!isPreflight) return;
    const headers: Record<string, string> = anyOrigin ? {} : { vary: "Origin" };
    if (allowOrigin !== undefined) {
      headers["access-control-allow-origin"] = allowOrigin;
      headers["access-control-allow-methods"] = ALLOWED_METHODS;
      headers["access-control-allow-headers"] = ALLOWED_HEADERS;
      headers["access-control-max-age"] = String(maxAgeSeconds);
    }
    return new Response(null, { status: 204, headers });
  }) as unknown as Elysia;
}
