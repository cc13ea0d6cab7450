/**
 * The command line's vocabulary in one place: the commands, the `events` service word and
 * every flag with its help line. The parser, the "did you mean" suggestions and the shell
 * completions all read it, so a new flag is added here once.
 */

/** One flag: its `util.parseArgs` shape, a value placeholder for strings, and a one-line description. */
export interface FlagSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly multiple?: boolean;
  /** What the value is (`URL`, `TEXT`); only for string flags. `FILE` values complete file names. */
  readonly value?: string;
  /** One line, for completions that show descriptions (zsh, fish). */
  readonly description: string;
}

/** Flags of a group, by long name. */
export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** Flags every command takes, anywhere on the line. */
export const GLOBAL_FLAGS = {
  url: { type: "string", value: "URL", description: "server base URL" },
  token: { type: "string", value: "TOKEN", description: "bearer token sent with every request" },
  timeout: { type: "string", value: "DURATION", description: "how long to wait for an answer (500ms, 5s, 1m)" },
  header: { type: "string", short: "H", multiple: true, value: "'NAME: VALUE'", description: "add a request header (repeatable)" },
  verbose: { type: "boolean", short: "v", description: "log requests, answers and reconnects on stderr" },
  help: { type: "boolean", short: "h", description: "show help" },
  version: { type: "boolean", short: "V", description: "print the version" },
} as const satisfies FlagTable;

/** The methods of the `events` service: each is also a command of its own (`events-cli trigger`). */
export const METHODS = ["trigger", "stream", "publish"] as const;

/** A method of the `events` service. */
export type Method = (typeof METHODS)[number];

/** The shells `events-cli completion SHELL` writes a script for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;

/** A shell with a completion script. */
export type Shell = (typeof SHELLS)[number];

/** The Goa service word, optional before a method. */
export const SERVICE = "events";

/** Each method's own flags. */
export const METHOD_FLAGS = {
  trigger: {
    message: { type: "string", short: "m", value: "TEXT", description: "the message (- reads it from stdin)" },
    body: { type: "string", short: "b", value: "JSON", description: 'the request body as JSON: {"message": "TEXT"}' },
    json: { type: "boolean", description: "print the answer as one JSON line" },
  },
  stream: {
    topic: { type: "string", short: "t", multiple: true, value: "TOPIC", description: "follow this topic or pattern (repeatable)" },
    "last-event-id": { type: "string", value: "ID", description: "start after this event id" },
    count: { type: "string", short: "n", value: "N", description: "exit after N events" },
    json: { type: "boolean", description: "one JSON object per line" },
    raw: { type: "boolean", description: "print the SSE frames as received" },
  },
  publish: {
    topic: { type: "string", short: "t", multiple: true, value: "TOPIC", description: "a topic to publish to (repeatable)" },
    event: { type: "string", short: "e", value: "NAME", description: "the event's type" },
    data: { type: "string", short: "d", value: "JSON", description: "the event's data as JSON (- reads it from stdin)" },
    batch: { type: "string", value: "FILE", description: "publish the JSON array or NDJSON of publish bodies in FILE as one batch (- reads stdin)" },
    json: { type: "boolean", description: "print the answer as one JSON line" },
  },
} as const satisfies Readonly<Record<Method, FlagTable>>;

/** The flags of `events-cli token` (a command of its own, not a method of the `events` service). */
export const TOKEN_FLAGS = {
  secret: { type: "string", value: "SECRET", description: "the server's --jwt-secret, 32 bytes or more (- reads it from stdin)" },
  subscribe: { type: "string", multiple: true, value: "PATTERN", description: "a topic or pattern the holder may follow (repeatable)" },
  publish: { type: "string", multiple: true, value: "PATTERN", description: "a topic or pattern the holder may publish to (repeatable)" },
  ttl: { type: "string", value: "DURATION", description: "how long the token is valid (default 1h)" },
  issuer: { type: "string", value: "ISSUER", description: "the iss claim" },
  audience: { type: "string", value: "AUDIENCE", description: "the aud claim" },
  sub: { type: "string", value: "SUBJECT", description: "the sub claim" },
  claim: { type: "string", value: "NAME", description: "the permissions claim's name (default events)" },
} as const satisfies FlagTable;

/** Each command's own flags: the methods' and `token`'s (completions list them after the command word). */
export const COMMAND_FLAGS = { ...METHOD_FLAGS, token: TOKEN_FLAGS } as const satisfies Readonly<Record<string, FlagTable>>;

/** The words that may start a command line (besides flags), with a one-line description. */
export const COMMANDS: Readonly<Record<string, string>> = {
  trigger: "broadcast a message to every connected client",
  stream: "print events as they arrive, resuming after drops",
  publish: "publish an event with JSON data to one or more topics",
  token: "print a signed JWT for development and tests",
  [SERVICE]: "the events service (Goa's form: events trigger|stream|publish)",
  completion: "print a shell completion script (bash, zsh or fish)",
  help: "show help for a command",
};

/** Whether `word` is a method of the `events` service. */
export function isMethod(word: string | undefined): word is Method {
  return (METHODS as readonly (string | undefined)[]).includes(word);
}

/** `--name` and `-x` spellings of the flags in `table`. */
export function flagSpellings(table: FlagTable): string[] {
  return Object.entries(table).flatMap(([name, spec]) => (spec.short === undefined ? [`--${name}`] : [`--${name}`, `-${spec.short}`]));
}
