import { parseDuration } from "./duration.ts";
import { parseHeaderFlags } from "./headers.ts";
import type { HelpTopic } from "./help.ts";
import { UsageError } from "./usage-error.ts";

/** The server base URL when neither `--url` nor `EVENTS_URL` gives one. */
export const DEFAULT_URL = "http://localhost:8080";
/** `--timeout` when not given, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Flags every command takes. */
export interface GlobalOptions {
  /** Server base URL, validated as http(s). @default $EVENTS_URL, else {@link DEFAULT_URL} */
  readonly url: string;
  /** Bearer token; an empty `--token ""` sends none, nor does `-H "Authorization: ..."`. @default $EVENTS_TOKEN */
  readonly token: string | undefined;
  /** How long to wait for an answer (the trigger, each stream connect), in ms; 0 = no limit. @default 10000 */
  readonly timeoutMs: number;
  /** Log requests, answers and reconnects on stderr. @default false */
  readonly verbose: boolean;
  /** Extra request headers from `-H/--header`, names lower-cased. @default undefined (none) */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** Environment variables the CLI reads (only these). */
export interface CliEnv {
  readonly EVENTS_URL?: string | undefined;
  readonly EVENTS_TOKEN?: string | undefined;
  /** The default of `events-cli token --secret`. */
  readonly EVENTS_JWT_SECRET?: string | undefined;
}

/** The global flags as `util.parseArgs` returns them. */
export interface GlobalFlagValues {
  readonly url?: string | undefined;
  readonly token?: string | undefined;
  readonly timeout?: string | undefined;
  readonly header?: readonly string[] | undefined;
  readonly verbose?: boolean | undefined;
}

/**
 * The global flags merged with the environment and validated; throws {@link UsageError}
 * (with the usage of `topic`) for a bad URL, token, timeout or header.
 */
export function resolveGlobalOptions(values: GlobalFlagValues, env: CliEnv, topic: HelpTopic): GlobalOptions {
  const url = values.url ?? nonEmpty(env.EVENTS_URL) ?? DEFAULT_URL;
  let parsedUrl: URL | undefined;
  try {
    parsedUrl = new URL(url);
  } catch {
    parsedUrl = undefined;
  }
  const urlSource = values.url === undefined ? "EVENTS_URL" : "--url";
  if (parsedUrl === undefined || (parsedUrl.protocol !== "http:" && parsedUrl.protocol !== "https:")) {
    throw new UsageError(`${urlSource} must be an http:// or https:// URL (got ${JSON.stringify(url)})`, topic);
  }
  if (parsedUrl.search !== "" || parsedUrl.hash !== "") {
    throw new UsageError(`${urlSource} must be the server's base URL, without ?query or #fragment (got ${JSON.stringify(url)})`, topic);
  }
  const headers = resolveHeaders(values.header, topic);
  const ownAuthorization = headers?.["authorization"] !== undefined;
  if (ownAuthorization && nonEmpty(values.token) !== undefined) {
    throw new UsageError('give --token or -H "Authorization: ...", not both', topic);
  }
  // A header the user wrote on this line wins over a token from the environment.
  const token = ownAuthorization ? undefined : (nonEmpty(values.token) ?? (values.token === undefined ? nonEmpty(env.EVENTS_TOKEN) : undefined));
  if (token !== undefined && /[\r\n\0]/.test(token)) {
    throw new UsageError(`${values.token === undefined ? "EVENTS_TOKEN" : "--token"} must not contain CR, LF or NUL`, topic);
  }
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    const parsed = parseDuration(values.timeout);
    if (parsed === undefined) {
      throw new UsageError(`--timeout must be a duration like 500ms, 5s or 1m (got ${JSON.stringify(values.timeout)})`, topic);
    }
    timeoutMs = parsed;
  }
  return { url: url.replace(/\/+$/, ""), token, timeoutMs, verbose: values.verbose === true, headers };
}

function resolveHeaders(flags: readonly string[] | undefined, topic: HelpTopic): Readonly<Record<string, string>> | undefined {
  if (flags === undefined || flags.length === 0) return undefined;
  const parsed = parseHeaderFlags(flags);
  if (!parsed.ok) throw new UsageError(parsed.reason, topic);
  return parsed.headers;
}

/** `undefined` for an absent or empty value: an empty flag or variable means "none". */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
