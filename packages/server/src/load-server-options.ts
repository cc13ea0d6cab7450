/**
 * The one place that reads the server's command-line flags and environment variables.
 */
import { postgresUrlProblem, quote } from "./option-values.ts";
import { DEFAULT_SERVER_OPTIONS, type ServerOptions } from "./options.ts";
import { type Mutable, SERVER_FLAGS, type ServerOptionsIo } from "./server-flags.ts";
import { serverHelpText } from "./server-help.ts";

/** The outcome of reading flags: options to run with, or text to print and an exit status. */
export type LoadedServerOptions =
  | { readonly kind: "run"; readonly options: ServerOptions }
  | { readonly kind: "exit"; readonly exitCode: 0 | 2; readonly output: string };

const KNOWN_FLAGS = new Set(SERVER_FLAGS.map((spec) => spec.flag));
const SWITCHES = new Set(SERVER_FLAGS.filter((spec) => spec.switch === true).map((spec) => spec.flag));

/**
 * Splits `--name value`, `--name=value` and `--help` into a map; a string is the reason
 * the command line is unusable. Hand-rolled rather than `node:util` so this module (which
 * the SDK's type check reaches through `App`) stays free of runtime imports.
 */
function parseFlags(argv: readonly string[]): Map<string, string> | string {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") {
      values.set("help", "");
      continue;
    }
    if (!arg.startsWith("--")) return `unexpected argument ${quote(arg)}`;
    const equals = arg.indexOf("=");
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    if (!KNOWN_FLAGS.has(name)) return `unknown flag --${name}`;
    let value: string | undefined = equals === -1 ? undefined : arg.slice(equals + 1);
    if (value === undefined && SWITCHES.has(name)) value = "true";
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) return `--${name} needs a value`;
      value = next;
      i += 1;
    }
    values.set(name, value);
  }
  return values;
}

/**
 * Reads flags (`argv` without the runtime and script) and their environment twins, flags
 * winning. Never throws and never exits: a bad value or `--help` comes back as text to
 * print with an exit status, so the runtime entry decides how to leave. `io.readTextFile`
 * reads `--jwt-public-key FILE` now, so an unreadable key stops the start with its reason.
 * @example
 * const loaded = loadServerOptions(Bun.argv.slice(2), process.env, { readTextFile: (path) => readFileSync(path, "utf8") });
 * if (loaded.kind === "exit") { console.error(loaded.output); process.exit(loaded.exitCode); }
 */
export function loadServerOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: ServerOptionsIo = {},
): LoadedServerOptions {
  const values = parseFlags(argv);
  if (typeof values === "string") return { kind: "exit", exitCode: 2, output: `events-server: ${values} (see --help)` };
  if (values.has("help")) return { kind: "exit", exitCode: 0, output: serverHelpText() };

  const options: Mutable<ServerOptions> = { ...DEFAULT_SERVER_OPTIONS };
  for (const spec of SERVER_FLAGS) {
    const fromFlag = values.get(spec.flag);
    const raw = typeof fromFlag === "string" ? fromFlag : env[spec.env];
    if (raw === undefined) continue;
    const reason = spec.apply(raw, options, io);
    if (reason !== undefined) {
      const source = typeof fromFlag === "string" ? `--${spec.flag}` : spec.env;
      return { kind: "exit", exitCode: 2, output: `events-server: ${source} ${reason}` };
    }
  }
  const postgresReason = postgresUrlCheck(options, values.has("postgres-url"));
  if (postgresReason !== undefined) return { kind: "exit", exitCode: 2, output: `events-server: ${postgresReason}` };
  return { kind: "run", options };
}

/**
 * Why the Postgres URL cannot be used, prefixed with where it came from, or undefined. Only
 * with `--broker postgres` or an explicit `--postgres-url`: a `DATABASE_URL` another tool reads
 * (a MySQL URL, say) must not stop a server that never uses it.
 */
function postgresUrlCheck(options: ServerOptions, fromFlag: boolean): string | undefined {
  if (options.broker !== "postgres" && !fromFlag) return undefined;
  if (options.postgresUrl === false) return "--broker postgres needs --postgres-url URL or DATABASE_URL (e.g. postgres://user@127.0.0.1:5432/app)";
  const reason = postgresUrlProblem(options.postgresUrl);
  return reason === undefined ? undefined : `${fromFlag ? "--postgres-url" : "DATABASE_URL"} ${reason}`;
}
