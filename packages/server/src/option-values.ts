/**
 * Checks and converts the text of one server flag or environment variable: integers in a
 * range, durations, topic names, origins, Postgres URLs and table names. Each returns a reason when the value is bad.
 */
import { SseError, assertValidTopic } from "@events/sse-core";
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
