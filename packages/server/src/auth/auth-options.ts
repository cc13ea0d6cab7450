/**
 * Who may read and publish which topics: the options of the token verifier and permission
 * checks ({@link createAuthenticator}), their defaults, and their validation at construction.
 */
import { SseError, describeValue, parseTopicPattern, type TopicPattern } from "@events/sse-core";
import { ServerOptionsError } from "../server-options-error.ts";
import { ALGORITHMS_BY_KEY_KIND, PublicKeyError, readPublicKeyKind, type PublicKeyKind } from "./public-key-kind.ts";
import type { AuthorizeHook } from "./types.ts";

/** The options of {@link createAuthenticator}: at most one of `jwtSecret`, `jwtPublicKey`, `jwksUrl`. */
export interface AuthOptions {
  /**
   * The HMAC secret of HS256 tokens, at least 32 bytes (RFC 7518 §3.2: a key as long as the
   * hash; jose does not check it). HS384 and HS512 are accepted too when the secret is at
   * least 48 and 64 bytes long. `false`: none.
   * @default false
   */
  readonly jwtSecret?: string | false;
  /**
   * A PEM `PUBLIC KEY` (SPKI): RSA of 2048 bits or more (RS256, PS256), EC P-256 (ES256), EC
   * P-384 (ES384) or Ed25519 (EdDSA). Only the key's own algorithms are accepted. `false`: none.
   * @default false
   */
  readonly jwtPublicKey?: string | false;
  /**
   * The URL of a JSON Web Key Set (`https://`; `http://` only for loopback hosts, for tests):
   * fetched on first use, cached, fetched again for a token whose `kid` it lacks (at most once
   * per `jwksCooldownMs`). Asymmetric algorithms only. `false`: none.
   * @default false
   */
  readonly jwksUrl?: string | false;
  /** The `iss` every token must have. `false`: not checked. @default false */
  readonly jwtIssuer?: string | false;
  /** An `aud` every token must have. `false`: not checked. @default false */
  readonly jwtAudience?: string | false;
  /** The name of the claim holding `{ subscribe?: string[], publish?: string[] }`. @default "events" */
  readonly claim?: string;
  /**
   * Topic patterns anyone may subscribe to without a token. Alone (no key, no `authorize`),
   * they turn auth on with every other topic closed: no token could open one.
   * @default []
   */
  readonly publicTopics?: readonly string[];
  /** The name of the cookie a browser's token comes in (EventSource sends no headers). @default "events_token" */
  readonly authCookie?: string;
  /** Whether `?access_token=` is accepted (URLs end up in logs and histories: prefer the cookie). @default false */
  readonly allowQueryToken?: boolean;
  /** The app's own authorization, asked first; `undefined` from it falls back to the token. @default undefined */
  readonly authorize?: AuthorizeHook | undefined;
  /** The shared trigger secret: as a Bearer token it grants publishing to every topic (and the public topics). @default false */
  readonly triggerToken?: string | false;
  /** The fetch the JWKS is loaded with (tests inject one). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Seconds of clock skew allowed when checking `exp`, `nbf` and `iat`. @default 5 */
  readonly clockToleranceSeconds?: number;
  /** Milliseconds after a JWKS fetch before an unknown `kid` may fetch it again. @default 30000 */
  readonly jwksCooldownMs?: number;
}

/** How tokens are verified, derived from the one key option that is set. */
export type TokenKey =
  | { readonly kind: "secret"; readonly secret: Uint8Array; readonly algorithms: readonly string[] }
  | { readonly kind: "public-key"; readonly pem: string; readonly keyKind: PublicKeyKind; readonly algorithms: readonly string[] }
  | { readonly kind: "jwks"; readonly url: URL; readonly algorithms: readonly string[] };

/** {@link AuthOptions} checked and complete, with the parsed public topics and the token key. */
export interface ResolvedAuthOptions extends Required<Omit<AuthOptions, "authorize">> {
  readonly authorize: AuthorizeHook | undefined;
  /** `publicTopics` parsed, in the same order. */
  readonly publicPatterns: readonly TopicPattern[];
  /** How tokens are verified; `undefined` when no key is set (then every token is refused). */
  readonly tokenKey: TokenKey | undefined;
}

/** The defaults of {@link AuthOptions}: no auth, as the server has always been. */
export const DEFAULT_AUTH_OPTIONS: Readonly<Required<Omit<AuthOptions, "authorize" | "fetch">>> = Object.freeze({
  jwtSecret: false,
  jwtPublicKey: false,
  jwksUrl: false,
  jwtIssuer: false,
  jwtAudience: false,
  claim: "events",
  publicTopics: Object.freeze([]) as readonly string[],
  authCookie: "events_token",
  allowQueryToken: false,
  triggerToken: false,
  clockToleranceSeconds: 5,
  jwksCooldownMs: 30_000,
});

/** Algorithms a JWKS may verify: every asymmetric JWS algorithm jose knows, never HMAC or `none`. */
const JWKS_ALGORITHMS: readonly string[] = Object.freeze(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"]);

/** RFC 6265 §4.1.1: a cookie name is an RFC 2616 token. */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const encoder = new TextEncoder();

/**
 * Whether requests are checked at all: a key, an `authorize` hook or public topics is set.
 * Without any, the server stays open as it always was (the trigger token still guards publishing).
 */
export function authEnabled(options: AuthOptions): boolean {
  return (
    (options.jwtSecret ?? false) !== false ||
    (options.jwtPublicKey ?? false) !== false ||
    (options.jwksUrl ?? false) !== false ||
    options.authorize !== undefined ||
    (options.publicTopics?.length ?? 0) > 0
  );
}

/**
 * Merges `options` over {@link DEFAULT_AUTH_OPTIONS} and checks them. Messages name the option
 * and the fix, never a secret's or a key's bytes.
 * @throws {ServerOptionsError} `INVALID_OPTION`
 * @example
 * const resolved = resolveAuthOptions({ jwtSecret: process.env.SECRET, publicTopics: ["news/*"] });
 */
export function resolveAuthOptions(options: AuthOptions = {}): ResolvedAuthOptions {
  const merged = { ...DEFAULT_AUTH_OPTIONS, fetch: globalThis.fetch, ...withoutUndefined(options) };
  const keysSet = (["jwtSecret", "jwtPublicKey", "jwksUrl"] as const).filter((name) => merged[name] !== false);
  if (keysSet.length > 1) {
    throw invalid(`set one of jwtSecret, jwtPublicKey and jwksUrl, not ${keysSet.join(" and ")}: tokens are verified with one kind of key`);
  }
  for (const name of ["jwtIssuer", "jwtAudience", "triggerToken"] as const) {
    const value = merged[name];
    if (value !== false && (typeof value !== "string" || value === "")) throw invalid(`${name} must be a non-empty string or false`);
  }
  if (typeof merged.claim !== "string" || merged.claim === "") throw invalid(`claim must be a non-empty string (got ${describeValue(merged.claim)})`);
  if (typeof merged.authCookie !== "string" || !COOKIE_NAME.test(merged.authCookie)) {
    throw invalid(
      `authCookie must be a cookie name: letters, digits and !#$%&'*+-.^_\`|~ (RFC 6265) (got ${describeValue(merged.authCookie)}); e.g. "events_token"`,
    );
  }
  if (typeof merged.allowQueryToken !== "boolean") throw invalid(`allowQueryToken must be true or false (got ${describeValue(merged.allowQueryToken)})`);
  if (merged.authorize !== undefined && typeof merged.authorize !== "function") throw invalid("authorize must be a function (request) => permissions");
  if (typeof merged.fetch !== "function") throw invalid("fetch must be a function");
  for (const name of ["clockToleranceSeconds", "jwksCooldownMs"] as const) {
    const value = merged[name];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw invalid(`${name} must be a number >= 0 (got ${describeValue(value)})`);
  }
  if (!Array.isArray(merged.publicTopics)) throw invalid(`publicTopics must be a list of topic patterns (got ${describeValue(merged.publicTopics)})`);
  const publicPatterns = merged.publicTopics.map((text) => {
    try {
      return parseTopicPattern(text);
    } catch (error) {
      if (error instanceof SseError) throw invalid(`publicTopics: ${error.message}`, error);
      throw error;
    }
  });
  return Object.freeze({
    ...merged,
    authorize: merged.authorize,
    publicTopics: Object.freeze([...merged.publicTopics]),
    publicPatterns: Object.freeze(publicPatterns),
    tokenKey: resolveTokenKey(merged),
  });
}

function resolveTokenKey(options: Pick<AuthOptions, "jwtSecret" | "jwtPublicKey" | "jwksUrl">): TokenKey | undefined {
  const { jwtSecret, jwtPublicKey, jwksUrl } = options;
  if (typeof jwtSecret === "string") {
    if (jwtSecret.includes("-----BEGIN")) {
      throw invalid("jwtSecret looks like a PEM key; pass a public key as jwtPublicKey (an HMAC secret is a random string of 32 bytes or more)");
    }
    const secret = encoder.encode(jwtSecret);
    if (secret.length < 32) {
      throw invalid(
        `jwtSecret must be at least 32 bytes (got ${secret.length}): an HS256 key shorter than its hash can be brute-forced (RFC 7518 §3.2); generate one with: openssl rand -base64 48`,
      );
    }
    const algorithms = ["HS256", ...(secret.length >= 48 ? ["HS384"] : []), ...(secret.length >= 64 ? ["HS512"] : [])];
    return { kind: "secret", secret, algorithms: Object.freeze(algorithms) };
  }
  if (typeof jwtPublicKey === "string") {
    try {
      const keyKind = readPublicKeyKind(jwtPublicKey);
      return { kind: "public-key", pem: jwtPublicKey, keyKind, algorithms: ALGORITHMS_BY_KEY_KIND[keyKind] };
    } catch (error) {
      if (error instanceof PublicKeyError) throw invalid(error.message);
      throw error;
    }
  }
  if (typeof jwksUrl === "string") {
    const url = URL.canParse(jwksUrl) ? new URL(jwksUrl) : undefined;
    if (url === undefined || !(url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.hostname)))) {
      throw invalid(`jwksUrl must be an https:// URL (http:// only for localhost) (got ${describeValue(jwksUrl, 80)})`);
    }
    if (url.username !== "" || url.password !== "") throw invalid("jwksUrl must not contain credentials");
    return { kind: "jwks", url, algorithms: JWKS_ALGORITHMS };
  }
  for (const name of ["jwtSecret", "jwtPublicKey", "jwksUrl"] as const) {
    if (options[name] !== undefined && options[name] !== false) throw invalid(`${name} must be a string or false`);
  }
  return undefined;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function invalid(message: string, cause?: unknown): ServerOptionsError {
  return new ServerOptionsError("INVALID_OPTION", `auth option ${message}`, cause === undefined ? undefined : { cause });
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
