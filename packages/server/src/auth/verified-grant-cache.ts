/**
 * Grants of tokens verified lately, by token: a client that publishes often, or reconnects,
 * with the same token pays the signature check (20 µs for HS256, more for ES256 and RS256) once.
 * Only a token that passed verification is ever stored, under its whole text, so no other
 * string finds its grant; an entry is dropped once its token has expired.
 */
import type { Grant } from "./types.ts";

/** Entries kept before the oldest is dropped. */
const MAX_ENTRIES = 4096;
/** Longer tokens are verified every time: they would make the cache's memory bound large. */
const MAX_CACHED_TOKEN_LENGTH = 4096;

/** A bounded map from a verified token (and where it came from) to its grant. */
export class VerifiedGrantCache {
  readonly #entries = new Map<string, Grant>();
  readonly #toleranceMs: number;

  /** @param toleranceSeconds the clock tolerance verification allows past `exp`. */
  constructor(toleranceSeconds: number) {
    this.#toleranceMs = toleranceSeconds * 1000;
  }

  /** The grant of `token` from `source` if it was verified and has not expired by `nowMs`. */
  get(source: string, token: string, nowMs: number): Grant | undefined {
    const key = `${source} ${token}`;
    const grant = this.#entries.get(key);
    if (grant === undefined) return undefined;
    if (grant.expiresAtMs !== undefined && nowMs >= grant.expiresAtMs + this.#toleranceMs) {
      // Expired: verifying it again gives the client its "token expired" answer.
      this.#entries.delete(key);
      return undefined;
    }
    return grant;
  }

  /** Keeps `grant` for `token`, dropping the oldest entry past the bound. */
  set(source: string, token: string, grant: Grant): void {
    if (token.length > MAX_CACHED_TOKEN_LENGTH) return;
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(`${source} ${token}`, grant);
  }

  /** Entries held. */
  get size(): number {
    return this.#entries.size;
  }
}
