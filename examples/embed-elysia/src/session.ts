/**
 * The host's own (fake) sign-in: a request is from `<user>` when it carries `x-session: <user>`
 * (scripts) or the cookie `session=<user>` (the browser page) for a known user. Stands in for
 * whatever session or token check your app already has. The scoped plugin guards only the
 * routes of the plugin that uses it (`/api/*` here); the events plugin asks the same session
 * through its `authorize` hook (`order-followers.ts`) and never adds a check to these routes.
 */
import { Elysia } from "elysia";

/** The users this fake sign-in knows. */
export const USERS: readonly string[] = Object.freeze(["alice", "bob"]);

/** The header naming the signed-in user. */
export const SESSION_HEADER = "x-session";

/** The host's own answer to a request without a session (its shape, not the events plugin's). */
export interface NotSignedIn {
  readonly error: string;
}

/** The cookie naming the signed-in user (what the page's sign-in sets). */
export const SESSION_COOKIE = "session";

/** The signed-in user of a request, or undefined: `x-session`, else the `session` cookie, for a known user. */
export function sessionUser(request: Request): string | undefined {
  const fromCookie = /(?:^|;\s*)session=([^;]*)/.exec(request.headers.get("cookie") ?? "")?.[1];
  const user = request.headers.get(SESSION_HEADER) ?? fromCookie;
  return user !== undefined && USERS.includes(user) ? user : undefined;
}

/**
 * Adds `user` to the context of the routes of the plugin that uses it, and answers
 * `401 { error }` for a request without a known user before any of them runs.
 */
export const session = new Elysia({ name: "shop.session" }).resolve({ as: "scoped" }, ({ request, status }) => {
  const user = sessionUser(request);
  if (user === undefined) {
    return status(401, { error: `sign in first: send ${SESSION_HEADER}: ${USERS.join(" | ")}` } satisfies NotSignedIn);
  }
  return { user };
});
