/**
 * Checks and converts the text of one server flag or environment variable: integers in a
 * range, durations, topic names and patterns, origins, URLs, Postgres URLs and table names,
 * JWT secrets and key files, cookie names, switches. Each returns a reason when the value is bad.
 */
import { SseError, assertValidTopic, parseTopicPattern } from "@events/sse-core";
import { maskUrlPassword } from "./logging/effective-config.ts";

/** Sets an integer from `min` to `max`, or returns why `raw` is not one. */
export function integer(raw: string, min: number, max: number, set: (value: number) => void): string | undefined {
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    return `must be an integer from ${min} to ${max} (got ${quote(raw)})`;
  }
  set(value);
  return undefined;
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const MAX_DURATION_MS = 365 * 86_400_000;

/** `500ms`, `90s`, `10m`, `24h`, `7d` (or `0`) in milliseconds; undefined when it is not one, or longer than a year. */
export function parseDuration(raw: string): number | undefined {
  const match = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/.exec(raw);
  if (match === null) return undefined;
  const amount = Number(match[1]);
  if (amount !== 0 && match[2] === undefined) return undefined;
  const ms = amount * (DURATION_UNITS_MS[match[2] ?? "ms"] as number);
  return Number.isSafeInteger(ms) && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** Why `name` is not a topic name (sse-core's rule and message), or undefined when it is one. */
export function topicProblem(name: string): string | undefined {
  try {
    assertValidTopic(name);
    return undefined;
  } catch (error) {
    if (error instanceof SseError) return error.message;
    throw error;
  }
}

/** Why `pattern` is not a topic, `<topic>/*` or `*` (sse-core's rule and message), or undefined when it is one. */
export function topicPatternProblem(pattern: string): string | undefined {
  try {
    parseTopicPattern(pattern);
    return undefined;
  } catch (error) {
    if (error instanceof SseError) return error.message;
    throw error;
  }
}

/** The shortest HS256 secret taken, in bytes: RFC 7518 §3.2 asks for a key as long as the hash (256 bits). */
export const MIN_JWT_SECRET_BYTES = 32;

/** Why `raw` cannot be an HS256 secret, or undefined. Never quotes the value: it is a secret. */
export function jwtSecretProblem(raw: string): string | undefined {
  const bytes = new TextEncoder().encode(raw).length;
  if (bytes >= MIN_JWT_SECRET_BYTES) return undefined;
  return `must be at least ${MIN_JWT_SECRET_BYTES} bytes (got ${bytes}); generate one with: openssl rand -base64 48`;
}

/**
 * The PEM text of a public key file, or why it cannot be used (never its content: a private
 * key given by mistake must not reach a terminal or a log).
 */
export function readPublicKeyFile(path: string, read: ((path: string) => string) | undefined): { text: string; problem?: undefined } | { problem: string } {
  if (path.trim() === "") return { problem: "must name a PEM file" };
  if (read === undefined) return { problem: "cannot be read here (no file access); pass jwtPublicKey as PEM text" };
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { problem: `cannot read ${quote(path)}${typeof code === "string" ? ` (${code})` : ""}; give a readable PEM public key file` };
  }
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return { problem: `${quote(path)} holds a private key; give its public key (openssl pkey -in key.pem -pubout)` };
  if (!/-----BEGIN PUBLIC KEY-----/.test(text)) return { problem: `${quote(path)} is not a PEM public key (-----BEGIN PUBLIC KEY-----)` };
  return { text };
}

/** Whether `value` is an http:// or https:// URL. */
export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\/[^\s]+$/.test(value) || !URL.canParse(value)) return false;
  return true;
}

/** Whether `value` is a cookie name (an RFC 6265 token). */
export function isCookieName(value: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/.test(value);
}

/** A switch's value: `true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off`; undefined for anything else. */
export function switchValue(raw: string): boolean | undefined {
  const value = raw.trim().toLowerCase();
  if (value === "true" || value === "1" || value === "yes" || value === "on") return true;
  if (value === "false" || value === "0" || value === "no" || value === "off") return false;
  return undefined;
}

/** Whether `value` is exactly an http(s) origin, e.g. `https://example.com` (no path, no trailing slash). */
export function isOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === "http:" || url.protocol === "https:") && url.origin === value;
}

/** A value quoted for an error message, cut at 60 characters. */
export function quote(value: string): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/**
 * Why `raw` is not a Postgres URL (`postgres://` or `postgresql://`), or undefined. The value
 * in the reason has its password masked: this text is printed.
 */
export function postgresUrlProblem(raw: string): string | undefined {
  if (/^postgres(ql)?:\/\/[^\s]+$/.test(raw) && URL.canParse(raw)) return undefined;
  return `must be a postgres:// or postgresql:// URL (got ${quote(maskUrlPassword(raw))})`;
}

/**
 * Why `raw` is not a table name the Postgres broker takes, or undefined: its own rule (a
 * lower-case SQL name of up to 41 characters, optionally `schema.name`; its companion tables
 * and NOTIFY channel are named after it), checked here so a bad flag exits 2 before connecting.
 */
export function postgresTableProblem(raw: string): string | undefined {
  if (/^(?:[a-z_][a-z0-9_]{0,40}\.)?[a-z_][a-z0-9_]{0,40}$/.test(raw)) return undefined;
  return `must be a lower-case SQL name (letters, digits, _; up to 41), optionally schema.name, e.g. events_history or app.events (got ${quote(raw)})`;
}
