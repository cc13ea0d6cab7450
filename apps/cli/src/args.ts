import { parseArgs } from "node:util";
import type { PublishCommand } from "./commands/publish.ts";
import type { StreamCommand } from "./commands/stream.ts";
import type { TriggerCommand } from "./commands/trigger.ts";
import { parseDuration } from "./duration.ts";
import type { HelpTopic } from "./help.ts";

/** The server base URL when neither `--url` nor `EVENTS_URL` gives one. */
export const DEFAULT_URL = "http://localhost:8080";
/** `--timeout` when not given, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Flags every command takes. */
export interface GlobalOptions {
  /** Server base URL, validated as http(s). @default $EVENTS_URL, else {@link DEFAULT_URL} */
  readonly url: string;
  /** Bearer token; an empty `--token ""` sends none. @default $EVENTS_TOKEN */
  readonly token: string | undefined;
  /** How long to wait for an answer (the trigger, each stream connect), in ms; 0 = no limit. @default 10000 */
  readonly timeoutMs: number;
  /** Log requests, answers and reconnects on stderr. @default false */
  readonly verbose: boolean;
}

/** What the command line asks for: help, the version, or a command (whose shape its module declares). */
export type Command =
  | { readonly kind: "help"; readonly topic: HelpTopic }
  | { readonly kind: "version" }
  | TriggerCommand
  | StreamCommand
  | PublishCommand;

/** A command line that cannot be run; `topic` names the usage to print with it (exit status 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly topic: HelpTopic;

  constructor(message: string, topic: HelpTopic) {
    super(message);
    this.topic = topic;
  }
}

const GLOBAL_FLAGS = {
  url: { type: "string" },
  token: { type: "string" },
  timeout: { type: "string" },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

const TRIGGER_FLAGS = {
  message: { type: "string", short: "m" },
  body: { type: "string", short: "b" },
  json: { type: "boolean" },
} as const;

const STREAM_FLAGS = {
  topic: { type: "string", short: "t", multiple: true },
  "last-event-id": { type: "string" },
  count: { type: "string", short: "n" },
  json: { type: "boolean" },
} as const;

const PUBLISH_FLAGS = {
  topic: { type: "string", short: "t", multiple: true },
  event: { type: "string", short: "e" },
  data: { type: "string", short: "d" },
  json: { type: "boolean" },
} as const;

const METHOD_FLAGS: Readonly<Record<string, readonly string[]>> = {
  trigger: Object.keys(TRIGGER_FLAGS),
  stream: Object.keys(STREAM_FLAGS),
  publish: Object.keys(PUBLISH_FLAGS),
};

/** The methods of the `events` service, as the usage errors list them. */
const METHODS = '"trigger", "stream" or "publish"';

/** Environment variables the CLI reads (only these). */
export interface CliEnv {
  readonly EVENTS_URL?: string | undefined;
  readonly EVENTS_TOKEN?: string | undefined;
}

/**
 * Reads a command line (without the program name) into a {@link Command}.
 * Global flags may appear anywhere; a method's flags only with that method.
 * Throws {@link UsageError} for anything that cannot be run.
 *
 * @example
 * parseCommandLine(["events", "trigger", "--message", "hi"], {});
 */
export function parseCommandLine(argv: readonly string[], env: CliEnv): Command {
  const topic = guessTopic(argv);
  let parsed: ReturnType<typeof parseAll>;
  try {
    parsed = parseAll(argv);
  } catch (error) {
    throw new UsageError(describeParseError(error), topic);
  }
  const { values, positionals, tokens } = parsed;
  if (values.version === true) return { kind: "version" };

  const [first, ...rest] = positionals;
  if (first === "help") return { kind: "help", topic: topicOf(rest, "help") };
  if (values.help === true) return { kind: "help", topic: topicOf(positionals, "--help") };

  if (first === undefined) throw new UsageError("missing service: try \"events\"", "root");
  const [method, ...extra] = rest;
  const commandTopic = topicOf(positionals, "");
  if (method === undefined) throw new UsageError(`missing method: ${METHODS}`, "events");
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`, commandTopic);

  for (const token of tokens) {
    if (token.kind !== "option" || token.name in GLOBAL_FLAGS) continue;
    if (!(METHOD_FLAGS[method] ?? []).includes(token.name)) {
      throw new UsageError(`unknown flag ${token.rawName} for "events ${method}"`, commandTopic);
    }
  }
  const global = globalOptions(values, env, commandTopic);
  if (method === "trigger") {
    return { kind: "trigger", global, message: triggerMessage(values.message, values.body), json: values.json === true };
  }
  if (method === "publish") {
    const topics = values.topic ?? [];
    if (topics.length === 0) throw new UsageError("missing --topic: name the topic to publish to, e.g. --topic orders/42", commandTopic);
    if (values.data === undefined) throw new UsageError("missing --data: the event's data as JSON, or - to read it from stdin", commandTopic);
    return {
      kind: "publish",
      global,
      topics,
      event: values.event,
      data: values.data === "-" ? { from: "stdin" } : { from: "flag", value: parsePublishData(values.data, "--data") },
      json: values.json === true,
    };
  }
  const lastEventId = values["last-event-id"];
  if (lastEventId !== undefined && /[\r\n\0]/.test(lastEventId)) {
    throw new UsageError("--last-event-id must not contain CR, LF or NUL", commandTopic);
  }
  return {
    kind: "stream",
    global,
    topics: values.topic,
    lastEventId,
    count: streamCount(values.count),
    json: values.json === true,
  };
}

function parseAll(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: { ...GLOBAL_FLAGS, ...TRIGGER_FLAGS, ...STREAM_FLAGS, ...PUBLISH_FLAGS },
    allowPositionals: true,
    strict: true,
    tokens: true,
  });
}

/** The help topic the positionals name; throws for an unknown service or method. */
function topicOf(positionals: readonly string[], context: string): HelpTopic {
  const [service, method] = positionals;
  const suffix = context === "" ? "" : ` (${context})`;
  if (service === undefined) return "root";
  if (service !== "events") throw new UsageError(`unknown service ${JSON.stringify(service)}${suffix}: try "events"`, "root");
  if (method === undefined) return "events";
  if (method === "trigger" || method === "stream" || method === "publish") return `events ${method}`;
  throw new UsageError(`unknown method ${JSON.stringify(method)}${suffix}: try ${METHODS}`, "events");
}

/** Best effort, before strict parsing: which usage to show when the flags themselves are wrong. */
function guessTopic(argv: readonly string[]): HelpTopic {
  const words = argv.filter((arg) => !arg.startsWith("-"));
  if (!words.includes("events")) return "root";
  if (words.includes("trigger")) return "events trigger";
  if (words.includes("stream")) return "events stream";
  if (words.includes("publish")) return "events publish";
  return "events";
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && quoted !== undefined) return `unknown flag ${quoted}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && quoted !== undefined) {
    const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
    if (message.includes("ambiguous")) return `${flag} needs a value (write ${flag}=-VALUE for a value starting with "-")`;
    if (message.includes("does not take")) return `${flag} takes no value`;
    return `${flag} needs a value`;
  }
  return (message.split("\n")[0] ?? message).replace(/\.$/, "");
}

function globalOptions(
  values: { url?: string | undefined; token?: string | undefined; timeout?: string | undefined; verbose?: boolean | undefined },
  env: CliEnv,
  topic: HelpTopic,
): GlobalOptions {
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
  const token = nonEmpty(values.token) ?? (values.token === undefined ? nonEmpty(env.EVENTS_TOKEN) : undefined);
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
  return { url: url.replace(/\/+$/, ""), token, timeoutMs, verbose: values.verbose === true };
}

function triggerMessage(message: string | undefined, body: string | undefined): string {
  if (message !== undefined && body !== undefined) throw new UsageError("give --message or --body, not both", "events trigger");
  if (message !== undefined) return message;
  if (body === undefined) throw new UsageError("missing --message (or --body)", "events trigger");
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`--body is not valid JSON: ${reason}`, "events trigger");
  }
  const field = typeof payload === "object" && payload !== null && !Array.isArray(payload) ? (payload as { message?: unknown }).message : undefined;
  if (typeof field !== "string") {
    throw new UsageError('--body must be a JSON object with a string "message", e.g. {"message": "hello"}', "events trigger");
  }
  return field;
}

/**
 * The data of `events publish`: any JSON value. Invalid JSON is a usage error (exit 2);
 * `source` names where it came from (`--data`, or stdin for `--data -`).
 */
export function parsePublishData(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${source} is not valid JSON: ${reason} (a string needs quotes: --data '"text"')`, "events publish");
  }
}

function streamCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--count must be a positive whole number (got ${JSON.stringify(text)})`, "events stream");
  }
  return Number(text);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
