/** Test support: HS256 tokens signed in the test with a test secret (jose), as a server with `jwtSecret` takes them. */
import { SignJWT } from "jose";

/** The secret every auth test signs with (32 bytes or more, as the server requires). */
export const TEST_JWT_SECRET = "test-secret-for-auth-tests-0123456789abcdef";

/** What a token grants, and when it expires. */
export interface TestTokenClaims {
  readonly subscribe?: readonly string[];
  readonly publish?: readonly string[];
  /** Expiry, in seconds from now (may be fractional or negative). @default 3600 */
  readonly expiresInSeconds?: number;
  /** Signs with this secret instead. @default TEST_JWT_SECRET */
  readonly secret?: string;
}

/**
 * An HS256 token whose `events` claim lists the topics.
 * @example
 * const token = await signTestToken({ subscribe: ["orders/*"], publish: [] });
 */
export function signTestToken(claims: TestTokenClaims = {}): Promise<string> {
  const exp = Date.now() / 1000 + (claims.expiresInSeconds ?? 3600);
  return new SignJWT({ events: { subscribe: [...(claims.subscribe ?? [])], publish: [...(claims.publish ?? [])] } })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("test-user")
    .setIssuedAt()
    // jose rounds a number `exp` down: a fractional expiry keeps its sub-second part in the test's favour.
    .setExpirationTime(Math.floor(exp))
    .sign(new TextEncoder().encode(claims.secret ?? TEST_JWT_SECRET));
}

/** `{ authorization: "Bearer <token>" }`. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
