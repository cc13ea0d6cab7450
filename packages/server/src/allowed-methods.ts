/**
 * Which methods a path answers, from the app's route table: what turns "no route" into a
 * `405` with `Allow` when the path exists under another method (RFC 9110 §15.5.6).
 */

/** The part of an Elysia route this module reads. */
export interface RouteLike {
  readonly method: string;
  readonly path: string;
}

/** Orders methods as people read them; others follow alphabetically. */
const METHOD_ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** `/events/trigger/` and `/events/trigger` are one route (Elysia's default); Elysia names `/` as "". */
export function normalizeRoutePath(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" ? "/" : trimmed;
}

/**
 * Builds a lookup from a normalized path to its `Allow` header value (`"GET, HEAD"`), or
 * `undefined` for a path no route serves. A GET route answers HEAD too (Elysia does).
 * @example
 * const allowed = createAllowedMethods(app.routes);
 * allowed("/events/trigger"); // "POST"
 */
export function createAllowedMethods(routes: readonly RouteLike[]): (path: string) => string | undefined {
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of routes) {
    const path = normalizeRoutePath(route.path);
    const methods = methodsByPath.get(path) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === "GET") methods.add("HEAD");
    methodsByPath.set(path, methods);
  }
  const allowByPath = new Map<string, string>();
  for (const [path, methods] of methodsByPath) {
    const rank = (method: string): number => {
      const index = METHOD_ORDER.indexOf(method);
      return index === -1 ? METHOD_ORDER.length : index;
    };
    const sorted = [...methods].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    allowByPath.set(path, sorted.join(", "));
  }
  return (path) => allowByPath.get(normalizeRoutePath(path));
}
