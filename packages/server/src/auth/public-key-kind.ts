/**
 * What kind of key a PEM public key is, read from its SPKI structure without importing it,
 * so a bad `jwtPublicKey` is refused at construction (synchronously) and the accepted JWT
 * algorithms are pinned to the key's kind before any token is seen.
 */

/** The public key kinds `jwtPublicKey` accepts, each with the JWT algorithms it verifies. */
export type PublicKeyKind = "rsa" | "ec-p256" | "ec-p384" | "ed25519";

/** The algorithms each kind verifies: never `none`, never an HMAC (`HS*`), never another kind's. */
export const ALGORITHMS_BY_KEY_KIND: Readonly<Record<PublicKeyKind, readonly string[]>> = Object.freeze({
  rsa: Object.freeze(["RS256", "PS256"]),
  "ec-p256": Object.freeze(["ES256"]),
  "ec-p384": Object.freeze(["ES384"]),
  ed25519: Object.freeze(["EdDSA", "Ed25519"]),
});

/** What `jwtPublicKey` accepts, for error messages. */
export const ACCEPTED_PUBLIC_KEYS =
  'a PEM "PUBLIC KEY" (SPKI) of RSA (2048 bits or more; RS256, PS256), EC P-256 (ES256), EC P-384 (ES384) or Ed25519 (EdDSA)';

/** The smallest RSA modulus accepted: the floor of RFC 7518 §3.3 (and jose refuses smaller ones when verifying). */
const MIN_RSA_BITS = 2048;

// DER encodings of the object identifiers (RFC 5480, RFC 8410, RFC 8017).
const OID_RSA = "2a864886f70d010101";
const OID_EC = "2a8648ce3d0201";
const OID_P256 = "2a8648ce3d030107";
const OID_P384 = "2b81040022";
const OID_ED25519 = "2b6570";

/** A key that is not one `jwtPublicKey` accepts; the message never contains key bytes. */
export class PublicKeyError extends Error {
  override readonly name = "PublicKeyError";
}

/**
 * The kind of a PEM `PUBLIC KEY`.
 * @throws {PublicKeyError} saying what was found (a private key, PKCS#1, another curve, a
 *   short RSA key, no PEM) and what is accepted; never the key's bytes.
 * @example
 * readPublicKeyKind(await exportSPKI(publicKey)); // "ec-p256"
 */
export function readPublicKeyKind(pem: string): PublicKeyKind {
  const der = decodePem(pem);
  try {
    const spki = readElement(der, 0, 0x30);
    const algorithm = readElement(der, spki.start, 0x30);
    const oid = readElement(der, algorithm.start, 0x06);
    const bits = readElement(der, algorithm.end, 0x03);
    const oidHex = hex(der, oid);
    if (oidHex === OID_ED25519) return "ed25519";
    if (oidHex === OID_EC) {
      const curve = hex(der, readElement(der, oid.end, 0x06));
      if (curve === OID_P256) return "ec-p256";
      if (curve === OID_P384) return "ec-p384";
      throw new PublicKeyError(`jwtPublicKey is an EC key on a curve other than P-256 or P-384; give ${ACCEPTED_PUBLIC_KEYS}`);
    }
    if (oidHex === OID_RSA) {
      // The BIT STRING's first byte counts unused bits; then RSAPublicKey { modulus, exponent }.
      const rsaKey = readElement(der, bits.start + 1, 0x30);
      const modulus = readElement(der, rsaKey.start, 0x02);
      let first = modulus.start;
      while (first < modulus.end && der[first] === 0) first++;
      const modulusBits = first === modulus.end ? 0 : (modulus.end - first - 1) * 8 + bitLength(der[first] as number);
      if (modulusBits < MIN_RSA_BITS) {
        throw new PublicKeyError(`jwtPublicKey is an RSA key of ${modulusBits} bits; use ${MIN_RSA_BITS} bits or more`);
      }
      return "rsa";
    }
    throw new PublicKeyError(`jwtPublicKey is a key of an unsupported kind; give ${ACCEPTED_PUBLIC_KEYS}`);
  } catch (error) {
    if (error instanceof PublicKeyError) throw error;
    throw new PublicKeyError(`jwtPublicKey is not a well-formed SPKI public key; give ${ACCEPTED_PUBLIC_KEYS}`);
  }
}

function decodePem(pem: string): Uint8Array {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \1-----/.exec(pem);
  if (match === null) {
    throw new PublicKeyError(`jwtPublicKey must be PEM text ("-----BEGIN PUBLIC KEY-----" ...); give ${ACCEPTED_PUBLIC_KEYS}`);
  }
  const label = match[1] as string;
  if (label.includes("PRIVATE")) {
    throw new PublicKeyError(`jwtPublicKey is a private key ("${label}"); give only the public half: ${ACCEPTED_PUBLIC_KEYS}`);
  }
  if (label !== "PUBLIC KEY") {
    throw new PublicKeyError(
      `jwtPublicKey is a "${label}"; give ${ACCEPTED_PUBLIC_KEYS} (convert with: openssl pkey -pubin -in key.pem -out spki.pem)`,
    );
  }
  try {
    const binary = atob((match[2] as string).replace(/\s+/g, ""));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    throw new PublicKeyError(`jwtPublicKey's PEM body is not base64; give ${ACCEPTED_PUBLIC_KEYS}`);
  }
}

interface Element {
  /** Where the contents start. */
  readonly start: number;
  /** Where the contents end (exclusive). */
  readonly end: number;
}

/** One DER element at `offset`, which must have `tag`. */
function readElement(der: Uint8Array, offset: number, tag: number): Element {
  if (der[offset] !== tag) throw new RangeError("unexpected DER tag");
  let lengthByte = der[offset + 1];
  if (lengthByte === undefined) throw new RangeError("truncated DER");
  let start = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 3) throw new RangeError("unsupported DER length");
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = der[start + i];
      if (lengthByte === undefined) throw new RangeError("truncated DER");
      length = length * 256 + lengthByte;
    }
    start += count;
  }
  if (start + length > der.length) throw new RangeError("truncated DER");
  return { start, end: start + length };
}

function hex(der: Uint8Array, element: Element): string {
  let text = "";
  for (let i = element.start; i < element.end; i++) text += (der[i] as number).toString(16).padStart(2, "0");
  return text;
}

function bitLength(byte: number): number {
  return 32 - Math.clz32(byte);
}
