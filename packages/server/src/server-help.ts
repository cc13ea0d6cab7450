/**
 * The `--help` text of `events-server`, built from the flag table so it cannot drift from it.
 */
import { DEFAULT_SERVER_OPTIONS } from "./options.ts";
import { type FlagSpec, SERVER_FLAGS } from "./server-flags.ts";

function defaultText(spec: FlagSpec): string {
  const value = DEFAULT_SERVER_OPTIONS[spec.key];
  if (value === false || value === undefined) return "off";
  if (spec.key === "webRoot") return "the built page (inside events-server; packages/web/dist from a checkout)";
  if (spec.flag === "keepalive" && typeof value === "number") return String(value / 1000);
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.join(",");
  return String(value);
}

/** The `--help` text: every flag, its environment twin and its default. */
export function serverHelpText(): string {
  const rows = SERVER_FLAGS.map((spec) => [`--${spec.flag}${spec.value === "" ? "" : ` ${spec.value}`}`, spec.env, defaultText(spec), spec.help] as const);
  const width = (column: 0 | 1 | 2): number => Math.max(...rows.map((row) => row[column].length));
  const lines = rows.map((row) =>
    `  ${row[0].padEnd(width(0))}  ${row[1].padEnd(width(1))}  ${row[2].padEnd(width(2))}  ${row[3]}`
  );
  return [
    "Usage: events-server [flags]   (from a checkout: bun run server [flags], or deno task server [flags])",
    "",
    "Serves GET /events/stream (SSE), POST /events/trigger, POST /events/publish, the web client at /, /openapi.json,",
    "/healthz and /metrics. Every flag has an environment twin; a flag wins over its twin.",
    "",
    `  ${"flag".padEnd(width(0))}  ${"env".padEnd(width(1))}  ${"default".padEnd(width(2))}  meaning`,
    ...lines,
    `  ${"--help".padEnd(width(0))}  ${"".padEnd(width(1))}  ${"".padEnd(width(2))}  print this and exit`,
    "",
    "Auth is on when --jwt-secret, --jwt-public-key or --jwks-url is set; without it every topic is open.",
    "Exit status: 0 after a clean shutdown (SIGINT/SIGTERM), 2 on a bad flag value.",
  ].join("\n");
}
