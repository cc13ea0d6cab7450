import { SseError, parseTopicPattern } from "@events/sse-core";
import type { FromStdin } from "./args.ts";
import { parseDuration } from "./duration.ts";
import { nonEmpty, type CliEnv } from "./global-options.ts";
import { UsageError } from "./usage-error.ts";

/** `events-cli token`: mint an HS256 JWT for development and tests. */
export interface TokenCommand {
  readonly kind: "token";
  /** The HMAC secret, or `--secret -` (read from stdin when the command runs). Never printed. */
  readonly secret: string | FromStdin;
  /** Topic patterns the holder may subscribe to (`--subscribe`, repeated). */
  readonly subscribe: readonly string[];
  /** Topic patterns the holder may publish to (`--publish`, repeated). */
  readonly publish: readonly string[];
  /** Lifetime: `exp` = now + this, in milliseconds. @default 3600000 (1h) */
  readonly ttlMs: number;
  /** The `iss` claim. @default undefined (none) */
  readonly issuer: string | undefined;
  /** The `aud` claim. @default undefined (none) */
  readonly audience: string | undefined;
  /** The `sub` claim. @default undefined (none) */
  readonly subject: string | undefined;
  /** The name of the permissions claim (the server's `--jwt-claim`). @default "events" */
  readonly claim: string;
}

/** The flags of `events-cli token` as `util.parseArgs` returns them. */
export interface TokenFlagValues {
  readonly secret?: string | undefined;
  readonly subscribe?: readonly string[] | undefined;
  readonly publish?: readonly string[] | undefined;
  readonly ttl?: string | undefined;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
  readonly sub?: string | undefined;
  readonly claim?: string | undefined;
}

/** `--ttl` when not given: one hour. */
export const DEFAULT_TOKEN_TTL_MS = 3_600_000;

/** The server's floor for an HS256 secret (RFC 7518 §3.2: a key as long as the hash). */
export const MIN_SECRET_BYTES = 32;

/** Claims the JWT itself defines: `--claim` must not overwrite one of them. */
const REGISTERED_CLAIMS: ReadonlySet<string> = new Set(["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]);

/**
 * Reads the flags of `events-cli token`; throws {@link UsageError} (exit 2) for a missing
 * or short secret, a pattern the server would refuse, a bad `--ttl` or `--claim`. Messages
 * name the flag, never the secret's value.
 */
export function parseTokenFlags(values: TokenFlagValues, env: CliEnv): TokenCommand {
  const secret = values.secret ?? nonEmpty(env.EVENTS_JWT_SECRET);
  if (secret === undefined || secret === "") {
    throw new UsageError("missing --secret: the server's --jwt-secret (or set EVENTS_JWT_SECRET; - reads it from stdin)", "token");
  }
  if (secret !== "-") checkSecret(secret, values.secret === undefined ? "EVENTS_JWT_SECRET" : "--secret");
  const ttlMs = values.ttl === undefined ? DEFAULT_TOKEN_TTL_MS : parseDuration(values.ttl);
  if (ttlMs === undefined || ttlMs < 1_000) {
    throw new UsageError(`--ttl must be a duration of at least 1s, like 90s, 15m or 1h (got ${JSON.stringify(values.ttl)})`, "token");
  }
  const claim = values.claim ?? "events";
  if (claim === "" || REGISTERED_CLAIMS.has(claim)) {
    throw new UsageError(`--claim must name a claim of its own, not a registered one such as exp or sub (got ${JSON.stringify(claim)})`, "token");
  }
  return {
    kind: "token",
    secret: secret === "-" ? { from: "stdin" } : secret,
    subscribe: checkPatterns("--subscribe", values.subscribe),
    publish: checkPatterns("--publish", values.publish),
    ttlMs,
    issuer: nonEmpty(values.issuer),
    audience: nonEmpty(values.audience),
    subject: nonEmpty(values.sub),
    claim,
  };
}

/** Refuses a secret the server would refuse (shorter than 32 bytes), naming only its length. */
export function checkSecret(secret: string, source: string): void {
  const bytes = new TextEncoder().encode(secret).length;
  if (bytes < MIN_SECRET_BYTES) {
    throw new UsageError(`${source} must be at least ${MIN_SECRET_BYTES} bytes, as the server requires (got ${bytes}); generate one with: openssl rand -base64 48`, "token");
  }
}

/** Each value checked with the server's own pattern rules: a token with a bad pattern is refused whole. */
function checkPatterns(flag: string, patterns: readonly string[] | undefined): readonly string[] {
  for (const pattern of patterns ?? []) {
    try {
      parseTopicPattern(pattern);
    } catch (error) {
      if (!(error instanceof SseError)) throw error;
      throw new UsageError(`${flag}: ${error.message}`, "token");
    }
  }
  return patterns ?? [];
}
