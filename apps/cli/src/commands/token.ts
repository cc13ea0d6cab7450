import { SignJWT } from "jose";
import type { CliIo } from "../io.ts";
import { checkSecret, type TokenCommand } from "../token-flags.ts";

/**
 * `events-cli token`: prints an HS256 JWT signed with the secret, for development and tests
 * (production tokens come from your identity provider or backend). The payload is
 * `{ [claim]: { subscribe, publish }, iat, exp, iss?, aud?, sub? }`; nothing but the token is
 * written, and the secret never is. `--secret -` reads it from stdin (less one final line
 * break). Returns 0; a short secret from stdin is a `UsageError` (exit 2).
 */
export async function runToken(command: TokenCommand, io: CliIo): Promise<number> {
  let secret: string;
  if (typeof command.secret === "string") {
    secret = command.secret;
  } else {
    secret = (await io.readStdin()).replace(/\r?\n$/, "");
    checkSecret(secret, "the secret on stdin");
  }
  await io.stdout.write(`${await mintToken(command, secret, io.now().getTime())}\n`);
  return 0;
}

/** Signs the token of `command` with `secret`, issued at `nowMs` (whole seconds, as JWT times are). */
export async function mintToken(command: TokenCommand, secret: string, nowMs: number): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1000);
  const grants = {
    ...(command.subscribe.length === 0 ? {} : { subscribe: [...command.subscribe] }),
    ...(command.publish.length === 0 ? {} : { publish: [...command.publish] }),
  };
  const jwt = new SignJWT({ [command.claim]: grants })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + Math.round(command.ttlMs / 1000));
  if (command.issuer !== undefined) jwt.setIssuer(command.issuer);
  if (command.audience !== undefined) jwt.setAudience(command.audience);
  if (command.subject !== undefined) jwt.setSubject(command.subject);
  return await jwt.sign(new TextEncoder().encode(secret));
}
