/**
 * The host's own (fake) sign-in: a request is from `<user>` when it carries `x-session: <user>`
 * for a known user. Stands in for whatever session or token check your app already has. It is
 * a scoped plugin, so it guards only the routes of the plugin that uses it (`/api/*` here);
 * the events plugin never sees it and never adds a check of its own to these routes.
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

/**
 * Adds `user` to the context of the routes of the plugin that uses it, and answers
 * `401 { error }` for a request without a known user before any of them runs.
 */
export const session = new Elysia({ name: "shop.session" }).resolve({ as: "scoped" }, ({ headers, status }) => {
  const user = headers[SESSION_HEADER];
  if (user === undefined || !USERS.includes(user)) {
    return status(401, { error: `sign in first: send ${SESSION_HEADER}: ${USERS.join(" | ")}` } satisfies NotSignedIn);
  }
  return { user };
});
