/**
 * Bearer-token protection for the endpoints that change state (every method but GET, HEAD
 * and OPTIONS; today that is `POST /events/trigger`). Checked before the body is read.
 */
import { Elysia } from "elysia";
import { HttpError } from "../errors.ts";

/** Options of {@link createAuthPlugin}. */
export interface AuthOptions {
  /** The token callers must send as `Authorization: Bearer <token>`; `false` disables the check. @default false */
  readonly token?: string | false;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const encoder = new TextEncoder();

/** Compares in time that depends only on the lengths, so the token cannot be guessed byte by byte. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a[i % Math.max(a.length, 1)] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/**
 * Requires `Authorization: Bearer <token>` on state-changing requests: 401 with
 * `WWW-Authenticate: Bearer` when it is missing or wrong.
 * @example
 * new Elysia().use(createAuthPlugin({ token: process.env.TOKEN ?? false }))
 */
export function createAuthPlugin(options: AuthOptions = {}): Elysia {
  const token = options.token ?? false;
  const plugin = new Elysia({ name: "events/auth", seed: token === false ? "off" : "on" });
  if (token === false) return plugin as unknown as Elysia;
  const expected = encoder.encode(token);
  return plugin.onRequest(({ request }) => {
    if (SAFE_METHODS.has(request.method)) return;
    const header = request.headers.get("authorization");
    const challenge = { headers: { "www-authenticate": 'Bearer realm="events"' } };
    if (header === null) {
      throw new HttpError("UNAUTHORIZED", "missing Authorization header; send Authorization: Bearer <token>", challenge);
    }
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (match?.[1] === undefined) {
      throw new HttpError("UNAUTHORIZED", "Authorization header must be Bearer <token>", challenge);
    }
    if (!sameBytes(encoder.encode(match[1]), expected)) {
      throw new HttpError("UNAUTHORIZED", "wrong trigger token", challenge);
    }
  }) as unknown as Elysia;
}
