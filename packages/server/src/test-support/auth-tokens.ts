/**
 * Real tokens for the auth tests: signed with jose in the test, never canned strings, plus
 * the refusals' parts the tests assert (status, code, challenge, message).
 */
import { SignJWT, exportSPKI, generateKeyPair, type CryptoKey, type JWTPayload } from "jose";
import { HttpError } from "../errors.ts";

/** A 48-byte HMAC secret (so HS256 and HS384 verify). */
export const TEST_SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

/** Seconds since the epoch, now. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** How a test token is signed; `exp: null` leaves `exp` out. */
export interface SignOptions {
  readonly alg?: string;
  readonly kid?: string;
  /** @default now + 1 hour */
  readonly exp?: number | null;
  readonly nbf?: number;
  readonly iat?: number;
  readonly iss?: string;
  readonly aud?: string;
}

/** A JWT of `claims` signed with `key` (HS256 by default). */
export async function signToken(claims: JWTPayload, key: CryptoKey | Uint8Array | string, options: SignOptions = {}): Promise<string> {
  const secret = typeof key === "string" ? new TextEncoder().encode(key) : key;
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? "HS256", ...(options.kid === undefined ? {} : { kid: options.kid }) });
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? nowSeconds() + 3600);
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  if (options.iat !== undefined) jwt.setIssuedAt(options.iat);
  if (options.iss !== undefined) jwt.setIssuer(options.iss);
  if (options.aud !== undefined) jwt.setAudience(options.aud);
  return jwt.sign(secret);
}

/** An unsecured JWT (`alg: none`, empty signature), built by hand: jose will not sign one. */
export function unsecuredToken(claims: JWTPayload): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.`;
}

/** A key pair of `alg` with its public half as PEM (SPKI). */
export async function keyPairWithPem(alg: string, options: { modulusLength?: number; crv?: string } = {}): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey; pem: string }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...options });
  return { privateKey, publicKey, pem: await exportSPKI(publicKey) };
}

/** The parts of a refusal the tests assert. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly challenge: string | undefined;
  readonly message: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The HttpError `action` throws or rejects with, as a {@link Refusal}; fails when it succeeds or throws something else. */
export async function refusalOf(action: () => unknown): Promise<Refusal> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.status, code: error.code, challenge: error.headers["www-authenticate"], message: error.message, headers: error.headers };
  }
  throw new Error("expected a refusal, got none");
}

/** A GET of the stream route with `headers`. */
export function streamRequest(headers: Record<string, string> = {}, query = ""): Request {
  return new Request(`http://localhost/events/stream${query}`, { headers });
}
