/**
 * Authorization as the events routes apply it: a stream is authenticated, then its resolved
 * topics are checked before it opens, and it ends when the grant does; a publish or trigger is
 * authenticated (and, when a browser could have sent its credentials by itself, CSRF-checked)
 * before its body is read, then its resolved topics are checked before anything is stored.
 */
import type { SubscribedTopic } from "@events/sse-core";
import { createCsrfCheck } from "../plugins/csrf.ts";
import type { Authenticator } from "./authenticator.ts";
import { missingCredentials } from "./invalid-token.ts";
import type { Grant } from "./types.ts";

/** Options of {@link createRouteGuard}. */
export interface RouteGuardOptions {
  readonly authenticator: Authenticator;
  /** Origins besides the server's own whose pages may publish with the auth cookie (the CORS allow-list). @default none */
  readonly trustedOrigins?: readonly string[] | false;
}

/** What a stream request may open. */
export interface StreamPass {
  /** Throws 401 or 403 `FORBIDDEN_TOPIC` unless the grant covers every topic and pattern. */
  readonly admit: (subscription: readonly SubscribedTopic[]) => void;
  /** When the stream must end (the grant's expiry, epoch ms); `undefined`: never. */
  readonly endsAtMs: number | undefined;
}

/** Throws 403 `FORBIDDEN_TOPIC` unless the writer may publish to every one of `topics`. */
export type PublishPermit = (topics: readonly string[]) => void;

/** The guard of the events routes. */
export interface RouteGuard {
  /** Authenticates a stream request (`GET` and `HEAD`). */
  stream(request: Request): Promise<StreamPass>;
  /**
   * Authenticates a publish or trigger before its body is read: 401 without credentials (the
   * anonymous may publish nowhere), 403 `CSRF_REJECTED` for a cookie from a foreign `Origin`.
   */
  write(request: Request): Promise<PublishPermit>;
}

/**
 * Builds the guard the routes call when auth is on (without auth there is none, and the routes
 * take their synchronous paths).
 * @example
 * const guard = createRouteGuard({ authenticator: createAuthenticator({ jwtSecret }), trustedOrigins: ["https://app.example"] });
 * const { admit, endsAtMs } = await guard.stream(request);
 */
export function createRouteGuard(options: RouteGuardOptions): RouteGuard {
  const { authenticator } = options;
  const checkOrigin = createCsrfCheck({ trustedOrigins: options.trustedOrigins ?? false });
  const passOf = (grant: Grant): StreamPass => ({
    admit: (subscription) => authenticator.assertSubscribe(grant, subscription),
    endsAtMs: grant.expiresAtMs,
  });
  const permitOf = (grant: Grant, request: Request): PublishPermit => {
    // Refused before the body is read: no credentials publish nowhere.
    if (grant.source === "anonymous") {
      throw missingCredentials("a token is needed to publish; send Authorization: Bearer <token> (or the auth cookie from a page of an allowed origin)");
    }
    if (sentByBrowser(grant, request)) checkOrigin(request);
    return (topics) => authenticator.assertPublish(grant, topics);
  };
  return {
    stream: (request) => authenticator.authenticate(request).then(passOf),
    write: (request) => authenticator.authenticate(request).then((grant) => permitOf(grant, request)),
  };
}

/**
 * Whether the credentials could have been attached by a browser on its own: the auth cookie,
 * or an `authorize` answer for a request carrying cookies and no Authorization header (an
 * app's session cookie, most likely).
 */
function sentByBrowser(grant: Grant, request: Request): boolean {
  if (grant.source === "cookie") return true;
  return grant.source === "authorize" && request.headers.has("cookie") && !request.headers.has("authorization");
}
