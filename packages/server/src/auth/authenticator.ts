/**
 * Decides what one request may do (a {@link Grant}) once, when a stream opens or a publish
 * arrives, and checks requested topics against it: the authorize hook, then the token
 * (Bearer, cookie, query), then the public topics alone.
 */
import { describeValue, matchesTopic, parseTopicPattern, patternCovers, type SubscribedTopic, type TopicPattern } from "@events/sse-core";
import { HttpError } from "../errors.ts";
import { resolveAuthOptions, type AuthOptions, type ResolvedAuthOptions } from "./auth-options.ts";
import { parseEventsClaim } from "./events-claim.ts";
import { missingCredentials } from "./invalid-token.ts";
import { readCredentials } from "./read-credentials.ts";
import { sameBytes } from "./same-bytes.ts";
import { createTokenVerifier, type TokenVerifier } from "./token-verifier.ts";
import { VerifiedGrantCache } from "./verified-grant-cache.ts";
import type { Grant, GrantSource, Permissions } from "./types.ts";

/** Authentication and topic permission checks for the stream and publish routes. */
export interface Authenticator {
  /**
   * Reads credentials (authorize hook first: a non-undefined answer wins; then Bearer header;
   * then the cookie; then `?access_token=` when allowed) and verifies them once. No
   * credentials: an anonymous grant of the public topics.
   * @throws {HttpError} 401 `UNAUTHORIZED` (malformed header, query token while off, wrong
   *   trigger token), 401 `INVALID_TOKEN` (the reason in `error_description`), 503
   *   `AUTH_UNAVAILABLE` (JWKS unreachable).
   */
  authenticate(request: Request): Promise<Grant>;
  /**
   * Throws unless every requested topic/pattern is covered by `grant.subscribe` (a pattern
   * must be covered entirely).
   * @throws {HttpError} anonymous: 401 `UNAUTHORIZED` with `WWW-Authenticate: Bearer realm="events"`;
   *   otherwise 403 `FORBIDDEN_TOPIC` naming the first uncovered topic.
   */
  assertSubscribe(grant: Grant, topics: readonly SubscribedTopic[]): void;
  /** The same for publishing to topic names (`grant.publish`). */
  assertPublish(grant: Grant, topics: readonly string[]): void;
}

/** How many granted patterns a 403 message lists before "and N more". */
const LISTED_PATTERNS = 5;

const encoder = new TextEncoder();

/**
 * The authenticator for `options`, checked once here.
 * @throws {ServerOptionsError} `INVALID_OPTION` for bad options (see {@link resolveAuthOptions}).
 * @example
 * const auth = createAuthenticator({ jwtSecret: secret, publicTopics: ["news/*"] });
 * const grant = await auth.authenticate(request);
 * auth.assertSubscribe(grant, resolveSubscribeTopics(["orders/42"]));
 */
export function createAuthenticator(options: AuthOptions): Authenticator {
  return new TokenAuthenticator(resolveAuthOptions(options));
}

class TokenAuthenticator implements Authenticator {
  readonly #options: ResolvedAuthOptions;
  readonly #verify: TokenVerifier | undefined;
  readonly #triggerToken: Uint8Array | undefined;
  /** Parsed pattern lists, by the grant's list: a grant is checked at most a few times. */
  readonly #parsed = new WeakMap<readonly string[], readonly TopicPattern[]>();
  readonly #verified: VerifiedGrantCache;

  constructor(options: ResolvedAuthOptions) {
    this.#options = options;
    this.#verify = createTokenVerifier(options);
    this.#triggerToken = options.triggerToken === false ? undefined : encoder.encode(options.triggerToken);
    this.#parsed.set(options.publicTopics, options.publicPatterns);
    this.#verified = new VerifiedGrantCache(options.clockToleranceSeconds);
  }

  async authenticate(request: Request): Promise<Grant> {
    const { authorize, publicTopics } = this.#options;
    if (authorize !== undefined) {
      const permissions = await authorize(request);
      if (permissions !== undefined) return this.#grantOf(checkPermissions(permissions), "authorize");
    }
    const credentials = readCredentials(request, this.#options);
    if (credentials === undefined) return { subscribe: publicTopics, publish: [], source: "anonymous" };
    const { token, source } = credentials;
    if (source === "bearer" && this.#triggerToken !== undefined && sameBytes(encoder.encode(token), this.#triggerToken)) {
      return { subscribe: publicTopics, publish: ["*"], source: "trigger-token" };
    }
    if (this.#verify === undefined) {
      const wrongTrigger = source === "bearer" && this.#triggerToken !== undefined ? "wrong trigger token; " : "";
      throw missingCredentials(`${wrongTrigger}this server verifies no signed tokens (no JWT key is configured)`);
    }
    const cached = this.#verified.get(source, token, Date.now());
    if (cached !== undefined) return cached;
    const verified = await this.#verify(token);
    const claim = parseEventsClaim(verified.payload[this.#options.claim]);
    const grant = this.#grantOf({ ...claim, expiresAtMs: verified.expiresAtMs }, source);
    this.#verified.set(source, token, grant);
    return grant;
  }

  assertSubscribe(grant: Grant, topics: readonly SubscribedTopic[]): void {
    const granted = this.#patterns(grant.subscribe);
    for (const { text, pattern } of topics) {
      if (!granted.some((grantPattern) => patternCovers(grantPattern, pattern))) throw this.#refusal(grant, "subscribe to", text, grant.subscribe);
    }
  }

  assertPublish(grant: Grant, topics: readonly string[]): void {
    const granted = this.#patterns(grant.publish);
    for (const topic of topics) {
      if (!granted.some((grantPattern) => matchesTopic(grantPattern, topic))) throw this.#refusal(grant, "publish to", topic, grant.publish);
    }
  }

  #grantOf(permissions: Permissions, source: GrantSource): Grant {
    const { publicTopics } = this.#options;
    const extra = publicTopics.filter((pattern) => !permissions.subscribe.includes(pattern));
    return {
      subscribe: extra.length === 0 ? permissions.subscribe : [...permissions.subscribe, ...extra],
      publish: permissions.publish,
      expiresAtMs: permissions.expiresAtMs,
      source,
    };
  }

  #patterns(list: readonly string[]): readonly TopicPattern[] {
    let parsed = this.#parsed.get(list);
    if (parsed === undefined) {
      parsed = list.map(parseTopicPattern);
      this.#parsed.set(list, parsed);
    }
    return parsed;
  }

  #refusal(grant: Grant, action: string, topic: string, granted: readonly string[]): HttpError {
    if (grant.source === "anonymous") {
      const needed = `a token is needed to ${action} ${describeValue(topic, 80)}`;
      if (action === "publish to") return missingCredentials(needed);
      const open = granted.length === 0 ? "no topic is public here" : `without one: ${listPatterns(granted)}`;
      return missingCredentials(`${needed} (${open})`);
    }
    const holder = grant.source === "trigger-token" ? "the trigger token" : grant.source === "authorize" ? "this request" : "this token";
    const allowed = granted.length === 0 ? "nothing" : listPatterns(granted);
    return new HttpError("FORBIDDEN_TOPIC", `${holder} may not ${action} ${describeValue(topic, 80)} (it may: ${allowed})`);
  }
}

/** An app's permissions, checked: a bad pattern from `authorize` is a bug in the app (500), not the client's fault. */
function checkPermissions(permissions: Permissions): Permissions {
  for (const list of [permissions.subscribe, permissions.publish]) {
    if (!Array.isArray(list)) throw new TypeError("authorize must return { subscribe: string[], publish: string[] } or undefined");
    for (const pattern of list) {
      try {
        parseTopicPattern(pattern);
      } catch (error) {
        // Wrapped so no route's input check mistakes it for the client's bad pattern (a 400).
        throw new TypeError(`authorize returned a bad topic pattern ${describeValue(pattern)}`, { cause: error });
      }
    }
  }
  const { expiresAtMs } = permissions;
  if (expiresAtMs !== undefined && !Number.isFinite(expiresAtMs)) throw new TypeError("authorize's expiresAtMs must be a finite number of epoch milliseconds");
  return permissions;
}

function listPatterns(patterns: readonly string[]): string {
  const listed = patterns.slice(0, LISTED_PATTERNS).map((pattern) => describeValue(pattern, 60)).join(", ");
  return patterns.length > LISTED_PATTERNS ? `${listed} and ${patterns.length - LISTED_PATTERNS} more` : listed;
}
