/**
 * The answers to credentials that cannot be used: 401 `UNAUTHORIZED` when there are none
 * (RFC 6750 §3.1: then the challenge has no error attribute), 401 `INVALID_TOKEN` with one
 * short reason when a token fails verification, 503 `AUTH_UNAVAILABLE` when the JWKS cannot be
 * fetched. A reason never says which byte failed and never repeats the token.
 */
import { errors } from "jose";
import { HttpError } from "../errors.ts";

/** Why a token was refused: the `error_description` and the JSON message. */
export type InvalidTokenReason =
  | "token expired"
  | "token not yet valid"
  | "bad signature"
  | "wrong issuer"
  | "wrong audience"
  | "malformed token"
  | "unsupported algorithm"
  | "unknown key id"
  | "token has no exp"
  | "malformed events claim";

/** The challenge of a request without credentials. */
export const BEARER_CHALLENGE = 'Bearer realm="events"';

/** 401 `UNAUTHORIZED` with the plain Bearer challenge. */
export function missingCredentials(message: string): HttpError {
  return new HttpError("UNAUTHORIZED", message, { headers: { "www-authenticate": BEARER_CHALLENGE } });
}

/** 401 `INVALID_TOKEN`: `WWW-Authenticate: Bearer realm="events", error="invalid_token", error_description="<reason>"`. */
export function invalidToken(reason: InvalidTokenReason, cause?: unknown): HttpError {
  return new HttpError("INVALID_TOKEN", `${reason}; get a new token`, {
    headers: { "www-authenticate": `${BEARER_CHALLENGE}, error="invalid_token", error_description="${reason}"` },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** 503 `AUTH_UNAVAILABLE`: the keys to check the token with could not be loaded. */
export function authUnavailable(cause: unknown): HttpError {
  return new HttpError("AUTH_UNAVAILABLE", "the token's signing keys (JWKS) cannot be fetched now; retry shortly", {
    headers: { "retry-after": "5" },
    cause,
  });
}

/**
 * The reason for a jose verification error, or `undefined` for an error that is not about
 * the token (a bug, a failed key import): those stay 500s.
 */
export function reasonOfJoseError(error: unknown): InvalidTokenReason | undefined {
  if (error instanceof errors.JWTExpired) return "token expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "exp" && error.reason === "missing") return "token has no exp";
    switch (error.claim) {
      case "iss":
        return "wrong issuer";
      case "aud":
        return "wrong audience";
      case "nbf":
      case "iat":
        return error.reason === "check_failed" ? "token not yet valid" : "malformed token";
      default:
        return "malformed token";
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return "bad signature";
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return "unsupported algorithm";
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return "unknown key id";
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return "malformed token";
  return undefined;
}
