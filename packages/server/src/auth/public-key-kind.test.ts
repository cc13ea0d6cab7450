import { describe, expect, test } from "vitest";
import { exportPKCS8 } from "jose";
import { keyPairWithPem } from "../test-support/auth-tokens.ts";
import { PublicKeyError, readPublicKeyKind } from "./public-key-kind.ts";

/** PEM text of DER bytes under `label`. */
function pem(label: string, der: ArrayBuffer | Uint8Array): string {
  const body = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der)).toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

function problemOf(text: string): string {
  try {
    readPublicKeyKind(text);
  } catch (error) {
    if (error instanceof PublicKeyError) return error.message;
    throw error;
  }
  throw new Error("expected a PublicKeyError");
}

describe("readPublicKeyKind", () => {
  test("reads the kind of RSA, P-256, P-384 and Ed25519 SPKI keys", async () => {
    const kinds: Array<[string, string]> = [["RS256", "rsa"], ["PS256", "rsa"], ["ES256", "ec-p256"], ["ES384", "ec-p384"], ["EdDSA", "ed25519"]];
    for (const [alg, kind] of kinds) expect({ alg, kind: readPublicKeyKind((await keyPairWithPem(alg)).pem) }).toEqual({ alg, kind });
  });

  test("refuses a private key without printing it", async () => {
    const { privateKey } = await keyPairWithPem("ES256");
    const text = await exportPKCS8(privateKey);
    const message = problemOf(text);
    expect(message).toContain('is a private key ("PRIVATE KEY")');
    expect(message).not.toContain(text.split("\n")[1] as string);
  });

  test("refuses other curves, short RSA keys, PKCS#1 and non-PEM text, naming what is accepted", async () => {
    expect(problemOf((await keyPairWithPem("ES512")).pem)).toContain("curve other than P-256 or P-384");
    const short = await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"]);
    expect(problemOf(pem("PUBLIC KEY", await crypto.subtle.exportKey("spki", short.publicKey)))).toBe(
      "jwtPublicKey is an RSA key of 1024 bits; use 2048 bits or more",
    );
    expect(problemOf(pem("RSA PUBLIC KEY", new Uint8Array([0x30, 0])))).toContain("openssl pkey -pubin");
    expect(problemOf("secret")).toContain('must be PEM text ("-----BEGIN PUBLIC KEY-----" ...)');
    expect(problemOf(pem("PUBLIC KEY", new Uint8Array([0x30, 0x82, 0xff])))).toContain("not a well-formed SPKI public key");
    expect(problemOf("-----BEGIN PUBLIC KEY-----\n@@@@\n-----END PUBLIC KEY-----")).toContain("not base64");
    for (const message of [problemOf("secret"), problemOf((await keyPairWithPem("ES512")).pem)]) {
      expect(message).toContain("RSA (2048 bits or more; RS256, PS256), EC P-256 (ES256), EC P-384 (ES384) or Ed25519 (EdDSA)");
    }
  });
});
