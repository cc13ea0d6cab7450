import { parseArgs } from "node:util";
import type { CompletionCommand } from "./completion.ts";
import type { PublishCommand } from "./commands/publish.ts";
import type { PublishBatchCommand } from "./commands/publish-batch.ts";
import type { StreamCommand } from "./commands/stream.ts";
import type { TriggerCommand } from "./commands/trigger.ts";
import { COMMANDS, flagSpellings, GLOBAL_FLAGS, isMethod, METHOD_FLAGS, METHODS, SERVICE, SHELLS, TOKEN_FLAGS, type FlagTable, type Method } from "./flags.ts";
import { resolveGlobalOptions, type CliEnv, type GlobalOptions } from "./global-options.ts";
import type { HelpTopic } from "./help.ts";
import { suggest } from "./suggest.ts";
import { parseTokenFlags, type TokenCommand } from "./token-flags.ts";
import { UsageError } from "./usage-error.ts";

/** What the command line asks for: help, the version, a completion script, or a command (whose shape its module declares). */
export type Command =
  | { readonly kind: "help"; readonly topic: HelpTopic }
  | { readonly kind: "version" }
  | CompletionCommand
  | TriggerCommand
  | StreamCommand
  | PublishCommand
  | PublishBatchCommand
  | TokenCommand;

/** A value to read from stdin when the command runs (`--message -`, `--data -`). */
export interface FromStdin {
  readonly from: "stdin";
}

const ALL_FLAGS = { ...GLOBAL_FLAGS, ...METHOD_FLAGS.trigger, ...METHOD_FLAGS.stream, ...METHOD_FLAGS.publish, ...TOKEN_FLAGS };

/** The commands as the usage errors list them. */
const COMMAND_LIST = '"trigger", "stream", "publish", "token" or "completion"';
/** The methods of the `events` service, as the usage errors list them. */
const METHOD_LIST = '"trigger", "stream" or "publish"';

/**
 * Reads a command line (without the program name) into a {@link Command}. The method may
 * stand alone (`trigger`) or follow the Goa service word (`events trigger`). Global flags
 * may appear anywhere; a method's flags only with that method. Throws {@link UsageError}
 * for anything that cannot be run, with a "did you mean" for a near miss.
 *
 * @example
 * parseCommandLine(["trigger", "--message", "hi"], {});
 */
export function parseCommandLine(argv: readonly string[], env: CliEnv): Command {
  const topic = guessTopic(argv);
  let parsed: ReturnType<typeof parseAll>;
  try {
    parsed = parseAll(argv);
  } catch (error) {
    throw new UsageError(describeParseError(error, topic), topic);
  }
  const { values, positionals, tokens } = parsed;
  if (values.version === true) return { kind: "version" };

  const [first, ...rest] = positionals;
  if (first === "help") return { kind: "help", topic: readWords(rest, "help").topic };
  if (values.help === true) return { kind: "help", topic: readWords(positionals, "--help").topic };

  if (first === undefined) throw new UsageError(`missing command: try ${COMMAND_LIST}`, "root");
  const words = readWords(positionals, "");
  if (words.topic === "events") throw new UsageError(`missing method: ${METHOD_LIST}`, "events");
  const flagsOf: FlagTable = words.topic === "token" ? TOKEN_FLAGS : words.method === undefined ? {} : METHOD_FLAGS[words.method];
  for (const token of tokens) {
    if (token.kind !== "option" || token.name in GLOBAL_FLAGS || token.name in flagsOf) continue;
    const command = words.method === undefined ? words.topic : `events ${words.method}`;
    const hint = didYouMean(token.rawName, flagSpellings({ ...GLOBAL_FLAGS, ...flagsOf }));
    throw new UsageError(`unknown flag ${token.rawName} for "${command}"${hint}`, words.topic);
  }
  if (words.topic === "completion") return completionCommand(words.extra);
  if (words.topic === "token") {
    if (words.extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(words.extra[0])}`, "token");
    return parseTokenFlags(values, env);
  }
  if (words.method === undefined) throw new UsageError(`missing command: try ${COMMAND_LIST}`, "root");
  if (words.extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(words.extra[0])}`, words.topic);

  const global = resolveGlobalOptions(values, env, words.topic);
  if (words.method === "trigger") {
    return { kind: "trigger", global, message: triggerMessage(values.message, values.body), json: values.json === true };
  }
  if (words.method === "publish") {
    if (values.batch !== undefined) return publishBatchCommand(values, global);
    const topics = values.topic ?? [];
    if (topics.length === 0) throw new UsageError("missing --topic: name the topic to publish to, e.g. --topic orders/42", words.topic);
    if (values.data === undefined) throw new UsageError("missing --data: the event's data as JSON, or - to read it from stdin", words.topic);
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
    throw new UsageError("--last-event-id must not contain CR, LF or NUL", words.topic);
  }
  if (values.raw === true && values.json === true) throw new UsageError("give --raw or --json, not both", words.topic);
  return {
    kind: "stream",
    global,
    topics: values.topic,
    lastEventId,
    count: streamCount(values.count),
    json: values.json === true,
    raw: values.raw === true,
  };
}

function parseAll(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: ALL_FLAGS, allowPositionals: true, strict: true, tokens: true });
}

/** `events publish --batch FILE|-`: the file names each item's topics, event and data, so those flags are refused. */
function publishBatchCommand(values: ReturnType<typeof parseAll>["values"], global: GlobalOptions): PublishBatchCommand {
  const conflicts = (["topic", "event", "data"] as const).filter((name) => values[name] !== undefined).map((name) => `--${name}`);
  if (conflicts.length > 0) {
    throw new UsageError(`--batch excludes ${conflicts.join(" and ")}: each batch item names its own topic, event and data`, "events publish");
  }
  const { batch } = values;
  if (batch === undefined || batch === "") throw new UsageError("--batch needs a file name, or - to read stdin", "events publish");
  return { kind: "publish-batch", global, source: batch === "-" ? { from: "stdin" } : { from: "file", path: batch }, json: values.json === true };
}

/** What the words of a command line name: its help topic, the method, and any words after it. */
interface Words {
  readonly topic: HelpTopic;
  readonly method: Method | undefined;
  readonly extra: readonly string[];
}

/**
 * Reads the words (positionals): `METHOD ...`, Goa's `events METHOD ...`, or `completion ...`.
 * Throws for an unknown command, service or method, suggesting the nearest one.
 */
function readWords(words: readonly string[], context: string): Words {
  const [first, second, ...others] = words;
  const suffix = context === "" ? "" : ` (${context})`;
  if (first === undefined) return { topic: "root", method: undefined, extra: [] };
  if (first === "completion") return { topic: "completion", method: undefined, extra: words.slice(1) };
  if (first === "token") return { topic: "token", method: undefined, extra: words.slice(1) };
  if (isMethod(first)) return { topic: `events ${first}`, method: first, extra: words.slice(1) };
  if (first === SERVICE) {
    if (second === undefined) return { topic: "events", method: undefined, extra: [] };
    if (isMethod(second)) return { topic: `events ${second}`, method: second, extra: others };
    throw new UsageError(`unknown method ${JSON.stringify(second)}${suffix}${didYouMean(second, METHODS) || `: try ${METHOD_LIST}`}`, "events");
  }
  // `evnts trigger`: Goa's form with the service word mistyped.
  if (isMethod(second)) {
    throw new UsageError(`unknown service ${JSON.stringify(first)}${suffix}${didYouMean(first, [SERVICE]) || `: try "events", or leave it out`}`, "root");
  }
  throw new UsageError(`unknown command ${JSON.stringify(first)}${suffix}${didYouMean(first, Object.keys(COMMANDS)) || `: try ${COMMAND_LIST}`}`, "root");
}

/** `: did you mean "x"?` for the nearest candidate, or "" when none is near. */
function didYouMean(typed: string, candidates: readonly string[]): string {
  const near = suggest(typed, candidates);
  return near === undefined ? "" : `: did you mean ${near.startsWith("-") ? near : JSON.stringify(near)}?`;
}

function completionCommand(words: readonly string[]): CompletionCommand {
  const [shell, extra] = words;
  if (shell === undefined) throw new UsageError('missing shell: "bash", "zsh" or "fish"', "completion");
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`, "completion");
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`unknown shell ${JSON.stringify(shell)}${didYouMean(shell, SHELLS) || ': try "bash", "zsh" or "fish"'}`, "completion");
  }
  return { kind: "completion", shell: shell as CompletionCommand["shell"] };
}

/** Best effort, before strict parsing: which usage to show when the flags themselves are wrong. */
function guessTopic(argv: readonly string[]): HelpTopic {
  const words = argv.filter((arg) => !arg.startsWith("-"));
  const method = METHODS.find((name) => words.includes(name));
  if (method !== undefined) return `events ${method}`;
  if (words.includes("completion")) return "completion";
  if (words.includes("token")) return "token";
  return words.includes(SERVICE) ? "events" : "root";
}

function describeParseError(error: unknown, topic: HelpTopic): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && quoted !== undefined) {
    const method = METHODS.find((name) => topic === `events ${name}`);
    const known = topic === "token" ? { ...GLOBAL_FLAGS, ...TOKEN_FLAGS } : method === undefined ? ALL_FLAGS : { ...GLOBAL_FLAGS, ...METHOD_FLAGS[method] };
    return `unknown flag ${quoted}${quoted.startsWith("--") ? didYouMean(quoted, flagSpellings(known)) : ""}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && quoted !== undefined) {
    const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
    if (message.includes("ambiguous")) return `${flag} needs a value (write ${flag}=-VALUE for a value starting with "-")`;
    if (message.includes("does not take")) return `${flag} takes no value`;
    return `${flag} needs a value`;
  }
  return (message.split("\n")[0] ?? message).replace(/\.$/, "");
}

function triggerMessage(message: string | undefined, body: string | undefined): string | FromStdin {
  if (message !== undefined && body !== undefined) throw new UsageError("give --message or --body, not both", "events trigger");
  if (message === "-") return { from: "stdin" };
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

