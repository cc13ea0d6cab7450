/**
 * Verifies one JWT with the configured key (jose `jwtVerify`), the algorithms pinned to the
 * key's kind, `exp` required, and every failure turned into a 401 with one short reason.
 */
import { createRemoteJWKSet, customFetch, errors, importSPKI, jwtVerify, type CryptoKey, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { ResolvedAuthOptions, TokenKey } from "./auth-options.ts";
import { authUnavailable, invalidToken, reasonOfJoseError } from "./invalid-token.ts";

/** The most characters a token may have; longer ones are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8192;

/** A token that passed verification. */
export interface VerifiedToken {
  readonly payload: JWTPayload;
  /** The token's `exp`, in epoch milliseconds. */
  readonly expiresAtMs: number;
}

/**
 * Checks one token, resolving to its claims.
 * @throws {HttpError} 401 `INVALID_TOKEN` with the reason; 503 `AUTH_UNAVAILABLE` when the
 *   JWKS cannot be fetched.
 */
export type TokenVerifier = (token: string) => Promise<VerifiedToken>;

/**
 * The verifier for `options.tokenKey`, or `undefined` without a key.
 * @example
 * const verify = createTokenVerifier(resolveAuthOptions({ jwtSecret: secret }));
 * const { payload } = await verify!(token);
 */
export function createTokenVerifier(options: ResolvedAuthOptions): TokenVerifier | undefined {
  const { tokenKey } = options;
  if (tokenKey === undefined) return undefined;
  const key = createKey(tokenKey, options);
  const verifyOptions = {
    algorithms: [...tokenKey.algorithms],
    // A stream must end: a token without exp would keep one open forever.
    requiredClaims: ["exp"],
    clockTolerance: options.clockToleranceSeconds,
    ...(options.jwtIssuer === false ? {} : { issuer: options.jwtIssuer }),
    ...(options.jwtAudience === false ? {} : { audience: options.jwtAudience }),
  };
  return async (token) => {
    if (token.length > MAX_TOKEN_LENGTH) throw invalidToken("malformed token");
    let payload: JWTPayload;
    try {
      payload = (await jwtVerify(token, key, verifyOptions)).payload;
    } catch (error) {
      if (error instanceof JwksUnavailableError) throw authUnavailable(error.cause);
      const reason = reasonOfJoseError(error);
      if (reason === undefined) throw error;
      throw invalidToken(reason, error);
    }
    // jose checks `iat` only with maxTokenAge; a token issued in the future is not valid yet.
    if (typeof payload.iat === "number" && payload.iat > Date.now() / 1000 + options.clockToleranceSeconds) {
      throw invalidToken("token not yet valid");
    }
    return { payload, expiresAtMs: (payload.exp as number) * 1000 };
  };
}

/** The JWKS could not be loaded: the verifier answers 503, not 401 (the token may be fine). */
class JwksUnavailableError extends Error {
  override readonly name = "JwksUnavailableError";
}

function createKey(tokenKey: TokenKey, options: ResolvedAuthOptions): Uint8Array | JWTVerifyGetKey {
  switch (tokenKey.kind) {
    case "secret":
      return tokenKey.secret;
    case "public-key": {
      // One CryptoKey per algorithm (RS256 and PS256 import the same RSA key differently), imported on first use.
      const keys = new Map<string, Promise<CryptoKey>>();
      return (header) => {
        const alg = header.alg as string;
        let key = keys.get(alg);
        if (key === undefined) {
          key = importSPKI(tokenKey.pem, alg);
          keys.set(alg, key);
        }
        return key;
      };
    }
    case "jwks": {
      const fetchImpl = options.fetch;
      const remote = createRemoteJWKSet(tokenKey.url, {
        cooldownDuration: options.jwksCooldownMs,
        [customFetch]: (url, init) => fetchImpl(url, init),
      });
      return async (header, token) => {
        try {
          return await remote(header, token);
        } catch (error) {
          // About the token (no key with its kid, an algorithm no key has): 401. Anything else
          // is the JWKS itself (network, status, JSON, timeout): 503.
          if (
            error instanceof errors.JWKSNoMatchingKey ||
            error instanceof errors.JWKSMultipleMatchingKeys ||
            error instanceof errors.JOSENotSupported
          ) {
            throw error;
          }
          throw new JwksUnavailableError("JWKS unavailable", { cause: error });
        }
      };
    }
  }
}
