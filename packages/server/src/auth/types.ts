/**
 * The shapes authorization is built from: what a request may do (a {@link Grant}), where its
 * token came from, and what an app's own `authorize` hook answers. One definition, shared by
 * the token verifier, the routes and the plugin options.
 */

/** Where a request's credentials came from. */
export type GrantSource =
  /** `Authorization: Bearer <jwt>` (SDK, CLI, services). */
  | "bearer"
  /** The HttpOnly auth cookie (browsers: EventSource sends no headers). */
  | "cookie"
  /** `?access_token=` (only with `allowQueryToken`). */
  | "query"
  /** The trigger token as a Bearer token: publish anywhere, subscribe by the public topics only. */
  | "trigger-token"
  /** The app's own `authorize(request)` hook. */
  | "authorize"
  /** No credentials: the public topics only. */
  | "anonymous";

/** What one request may do, decided once per connection or publish (never per event). */
export interface Grant {
  /** Topic names and patterns (`orders/42`, `users/7/*`, `*`) the holder may follow, the public topics included. */
  readonly subscribe: readonly string[];
  /** Topic names and patterns the holder may publish to. */
  readonly publish: readonly string[];
  /** When the grant ends (the token's `exp`), in epoch milliseconds; a stream ends then. `undefined`: never. */
  readonly expiresAtMs?: number | undefined;
  /** Where the credentials came from (a cookie-authenticated publish must pass the CSRF check). */
  readonly source: GrantSource;
}

/** What an app's `authorize(request)` returns: the topics this request's user may follow and publish to. */
export interface Permissions {
  readonly subscribe: readonly string[];
  readonly publish: readonly string[];
  /** When these permissions end, in epoch milliseconds; a stream opened with them ends then. @default never */
  readonly expiresAtMs?: number | undefined;
}

/**
 * An app's own authorization (sessions, API keys): called once per stream open or publish.
 * Return the user's permissions, or `undefined` to fall back to the token (then the public topics).
 * Throwing refuses the request with 500, so return `{ subscribe: [], publish: [] }` to deny.
 */
export type AuthorizeHook = (request: Request) => Permissions | undefined | Promise<Permissions | undefined>;
