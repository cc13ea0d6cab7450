/**
 * The server's configuration: one options object, its frozen defaults, and the one place
 * that reads command-line flags and environment variables.
 */
import { DEFAULT_MAX_PUBLISH_BATCH } from "@events/contract";
import { DEFAULT_MEMORY_BROKER_OPTIONS, DEFAULT_TOPIC, describeValue } from "@events/sse-core";
import {
  integer,
  isCookieName,
  isHttpUrl,
  isOrigin,
  jwtSecretProblem,
  parseDuration,
  postgresTableProblem,
  postgresUrlProblem,
  quote,
  readPublicKeyFile,
  switchValue,
  topicPatternProblem,
  topicProblem,
} from "./option-values.ts";
import { ServerOptionsError } from "./server-options-error.ts";
import { isLogLevelSetting, LOG_LEVELS, type LogFormat, type LogLevelSetting } from "./logging/logger.ts";

/** Which broker stores and fans out events. */
export type BrokerKind = "memory" | "redis" | "postgres";

/** Everything `bun run server` can be told. Every field has a default. */
export interface ServerOptions {
  /** TCP port to listen on; 0 picks a free one. @default 8080 */
  readonly httpPort: number;
  /** Interface to bind. @default "0.0.0.0" */
  readonly host: string;
  /** Events kept in history for replay after a reconnect, per topic. @default 1000 */
  readonly historySize: number;
  /** Bytes of encoded events the memory broker keeps in history, all topics together. @default 8388608 (8 MiB) */
  readonly historyBytes: number;
  /** The longest an event stays in history, in milliseconds; `false`: no age limit. @default false */
  readonly historyTtlMs: number | false;
  /** Topics whose history a node keeps; beyond it the least recently published are evicted. @default 10000 */
  readonly maxRetainedTopics: number;
  /** The topic of a stream without `?topic=` and of a trigger without `topic`. @default "events" */
  readonly defaultTopic: string;
  /** Topics and patterns one stream may follow (`?topic=` repeats) before 400 TOO_MANY_TOPICS. @default 32 */
  readonly maxTopics: number;
  /** Interval of the keepalive comment, in milliseconds; `false` sends none. @default 15000 */
  readonly keepAliveMs: number | false;
  /** Reconnection delay sent to clients in the opening `retry:` field, in milliseconds. @default 3000 */
  readonly retryMs: number;
  /** Concurrent streams this node serves before answering 503. @default 10000 */
  readonly maxClients: number;
  /** Largest request body accepted, in bytes. @default 131072 (128 KiB) */
  readonly maxBodyBytes: number;
  /** The most events one `POST /events/publish` array may carry (stored all or none). @default 100 */
  readonly maxBatch: number;
  /** Bytes queued for one slow client before it is disconnected. @default 1048576 (1 MiB) */
  readonly maxBufferBytes: number;
  /** Bearer token required by `POST /events/trigger` and `POST /events/publish`; `false` requires none. @default false */
  readonly triggerToken: string | false;
  /**
   * Origins allowed by CORS (exact match, or `"*"`); `false` sends no CORS headers. With auth on,
   * the listed origins (never `"*"`) also get `Access-Control-Allow-Credentials: true` and may
   * publish with the auth cookie (the CSRF check). @default false
   */
  readonly corsOrigins: readonly string[] | false;
  /** HS256 secret verifying tokens (turns JWT auth on); never printed or logged. @default false */
  readonly jwtSecret: string | false;
  /** PEM public key (RS256, ES256 or EdDSA) verifying tokens; `--jwt-public-key FILE` reads it at start. @default false */
  readonly jwtPublicKey: string | false;
  /** JWKS URL whose keys verify tokens (cached, refreshed on an unknown `kid`). @default false */
  readonly jwksUrl: string | false;
  /** The `iss` a token must carry; `false` checks none. @default false */
  readonly jwtIssuer: string | false;
  /** The `aud` a token must carry; `false` checks none. @default false */
  readonly jwtAudience: string | false;
  /** The token claim listing the topics a holder may follow and publish to. @default "events" */
  readonly jwtClaim: string;
  /** Topic names and patterns anyone may follow without a token (with auth on). @default [] */
  readonly publicTopics: readonly string[];
  /** The cookie a browser's token comes in (`EventSource` sends no headers). @default "events_token" */
  readonly authCookie: string;
  /** Accept a token as `?access_token=` (never logged). @default false */
  readonly allowQueryToken: boolean;
  /** The broker. @default "memory" */
  readonly broker: BrokerKind;
  /** Redis connection URL, used when `broker` is `"redis"`. @default "redis://127.0.0.1:6379" */
  readonly redisUrl: string;
  /** Redis stream key holding the history, so several apps can share one Redis. @default "events:stream" */
  readonly redisStreamKey: string;
  /**
   * Postgres connection URL (`postgres://user:password@host:5432/db`), required when `broker` is
   * `"postgres"`; its password is never logged. @default false (none)
   */
  readonly postgresUrl: string | false;
  /** The Postgres broker's history table (`name` or `schema.name`), so several apps can share one database. @default "events_history" */
  readonly postgresTable: string;
  /** Folder holding the built web client served at `/`; `false` serves none. @default packages/web/dist */
  readonly webRoot: string | false;
  /**
   * A module exporting the event types to serve (a `defineEvents(...)` result, as its default
   * export or as `events`), loaded by the runtime entries; publishes are then held to it.
   * Left out: the Goa contract, and any event name with any JSON data on `POST /events/publish`.
   * @default none
   */
  readonly contract?: string;
  /** The lowest level of log line written (`silent`: none). Request lines are `info`. @default "info" */
  readonly logLevel: LogLevelSetting;
  /** Log lines as `text` (`<time> <LEVEL> <message> key=value ...`) or `json` (one object per line). @default "text" */
  readonly logFormat: LogFormat;
}

/** The defaults of {@link ServerOptions}. */
export const DEFAULT_SERVER_OPTIONS: Readonly<ServerOptions> = Object.freeze({
  httpPort: 8080,
  host: "0.0.0.0",
  historySize: 1000,
  historyBytes: DEFAULT_MEMORY_BROKER_OPTIONS.historyBytes,
  historyTtlMs: false,
  maxRetainedTopics: 10_000,
  defaultTopic: DEFAULT_TOPIC,
  maxTopics: 32,
  keepAliveMs: 15_000,
  retryMs: 3000,
  maxClients: 10_000,
  maxBodyBytes: 128 * 1024,
  maxBatch: DEFAULT_MAX_PUBLISH_BATCH,
  maxBufferBytes: 1024 * 1024,
  triggerToken: false,
  corsOrigins: false,
  jwtSecret: false,
  jwtPublicKey: false,
  jwksUrl: false,
  jwtIssuer: false,
  jwtAudience: false,
  jwtClaim: "events",
  publicTopics: Object.freeze([]) as readonly string[],
  authCookie: "events_token",
  allowQueryToken: false,
  broker: "memory",
  redisUrl: "redis://127.0.0.1:6379",
  redisStreamKey: "events:stream",
  postgresUrl: false,
  postgresTable: "events_history",
  webRoot: defaultWebRoot(),
  logLevel: "info",
  logFormat: "text",
});

function defaultWebRoot(): string {
  // This file is packages/server/src/options.ts; the web client builds into packages/web/dist.
  return decodeURIComponent(new URL("../../web/dist", import.meta.url).pathname);
}

/** The outcome of reading flags: options to run with, or text to print and an exit status. */
export type LoadedServerOptions =
  | { readonly kind: "run"; readonly options: ServerOptions }
  | { readonly kind: "exit"; readonly exitCode: 0 | 2; readonly output: string };

/** What loading the options may do besides reading `argv` and `env`. */
export interface ServerOptionsIo {
  /** Reads a text file (`--jwt-public-key FILE`); throws when it cannot. @default none: such a flag exits 2 */
  readonly readTextFile?: (path: string) => string;
}

interface FlagSpec {
  readonly flag: string;
  readonly key: keyof ServerOptions;
  readonly env: string;
  readonly value: string;
  readonly help: string;
  /** A switch: `--flag` alone means `true`; `--flag=false` and its twin `false`/`0` turn it off. */
  readonly switch?: true;
  readonly apply: (raw: string, into: Mutable<ServerOptions>, io: ServerOptionsIo) => string | undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The flags, their environment twins, and how each is checked. A check returns a reason
 * when the value is bad (printed after `--flag:` and exit status 2).
 */
const FLAGS: readonly FlagSpec[] = [
  {
    flag: "http-port", key: "httpPort", env: "EVENTS_HTTP_PORT", value: "PORT", help: "TCP port (0 = any free port)",
    apply: (raw, into) => integer(raw, 0, 65_535, (n) => { into.httpPort = n; }),
  },
  {
    flag: "host", key: "host", env: "EVENTS_HOST", value: "HOST", help: "interface to bind",
    apply: (raw, into) => (raw.trim() === "" ? "must not be empty" : void (into.host = raw.trim())),
  },
  {
    flag: "history", key: "historySize", env: "EVENTS_HISTORY", value: "N", help: "events kept for replay, per topic",
    apply: (raw, into) => integer(raw, 1, 10_000_000, (n) => { into.historySize = n; }),
  },
  {
    flag: "history-bytes", key: "historyBytes", env: "EVENTS_HISTORY_BYTES", value: "BYTES", help: "bytes of history kept by the memory broker",
    apply: (raw, into) => integer(raw, 1024, 64 * 1024 * 1024 * 1024, (n) => { into.historyBytes = n; }),
  },
  {
    flag: "history-ttl", key: "historyTtlMs", env: "EVENTS_HISTORY_TTL", value: "DURATION", help: "longest an event stays in history, e.g. 90s, 10m, 24h (0 = no limit)",
    apply: (raw, into) => {
      const ms = parseDuration(raw);
      if (ms === undefined) return `must be a duration like 500ms, 90s, 10m, 24h or 7d, up to 365d, or 0 for no limit (got ${quote(raw)})`;
      into.historyTtlMs = ms === 0 ? false : ms;
      return undefined;
    },
  },
  {
    flag: "max-retained-topics", key: "maxRetainedTopics", env: "EVENTS_MAX_RETAINED_TOPICS", value: "N", help: "topics whose history is kept (idle ones evicted first)",
    apply: (raw, into) => integer(raw, 1, 100_000_000, (n) => { into.maxRetainedTopics = n; }),
  },
  {
    flag: "default-topic", key: "defaultTopic", env: "EVENTS_DEFAULT_TOPIC", value: "TOPIC", help: "topic of a stream without ?topic= and of a trigger",
    apply: (raw, into) => {
      const reason = topicProblem(raw);
      if (reason !== undefined) return reason;
      into.defaultTopic = raw;
      return undefined;
    },
  },
  {
    flag: "max-topics", key: "maxTopics", env: "EVENTS_MAX_TOPICS", value: "N", help: "topics and patterns one stream may follow",
    apply: (raw, into) => integer(raw, 1, 10_000, (n) => { into.maxTopics = n; }),
  },
  {
    flag: "keepalive", key: "keepAliveMs", env: "EVENTS_KEEPALIVE", value: "SECONDS", help: "keepalive comment interval (0 = off)",
    apply: (raw, into) => {
      const seconds = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
        return `must be a number of seconds from 0 to 3600 (got ${quote(raw)})`;
      }
      into.keepAliveMs = seconds === 0 ? false : Math.max(1, Math.round(seconds * 1000));
      return undefined;
    },
  },
  {
    flag: "retry", key: "retryMs", env: "EVENTS_RETRY", value: "MS", help: "reconnection delay sent to clients",
    apply: (raw, into) => integer(raw, 0, 86_400_000, (n) => { into.retryMs = n; }),
  },
  {
    flag: "max-clients", key: "maxClients", env: "EVENTS_MAX_CLIENTS", value: "N", help: "concurrent streams before 503",
    apply: (raw, into) => integer(raw, 1, 10_000_000, (n) => { into.maxClients = n; }),
  },
  {
    flag: "max-body", key: "maxBodyBytes", env: "EVENTS_MAX_BODY", value: "BYTES", help: "largest request body accepted",
    apply: (raw, into) => integer(raw, 16, 64 * 1024 * 1024, (n) => { into.maxBodyBytes = n; }),
  },
  {
    flag: "max-batch", key: "maxBatch", env: "EVENTS_MAX_BATCH", value: "N", help: "events one POST /events/publish array may carry",
    apply: (raw, into) => integer(raw, 1, 100_000, (n) => { into.maxBatch = n; }),
  },
  {
    flag: "max-buffer", key: "maxBufferBytes", env: "EVENTS_MAX_BUFFER", value: "BYTES", help: "bytes queued for a slow client before it is cut",
    apply: (raw, into) => integer(raw, 1024, 1024 * 1024 * 1024, (n) => { into.maxBufferBytes = n; }),
  },
  {
    flag: "trigger-token", key: "triggerToken", env: "EVENTS_TRIGGER_TOKEN", value: "TOKEN", help: "require Authorization: Bearer TOKEN to trigger and publish",
    apply: (raw, into) => {
      if (raw === "") return "must not be empty";
      if (!/^[\x21-\x7e]+$/.test(raw)) return "must be printable ASCII without spaces";
      into.triggerToken = raw;
      return undefined;
    },
  },
  {
    flag: "cors-origin", key: "corsOrigins", env: "EVENTS_CORS_ORIGIN", value: "ORIGINS", help: 'comma-separated allowed origins, or "*"',
    apply: (raw, into) => {
      const origins = raw.split(",").map((origin) => origin.trim()).filter((origin) => origin !== "");
      if (origins.length === 0) return "must name at least one origin";
      for (const origin of origins) {
        if (origin !== "*" && !isOrigin(origin)) {
          return `must be "*" or origins like https://example.com (got ${quote(origin)})`;
        }
      }
      into.corsOrigins = origins;
      return undefined;
    },
  },
  {
    // The reasons never quote the value: it is a secret.
    flag: "jwt-secret", key: "jwtSecret", env: "EVENTS_JWT_SECRET", value: "SECRET", help: "HS256 secret verifying tokens (turns auth on)",
    apply: (raw, into) => jwtSecretProblem(raw) ?? void (into.jwtSecret = raw),
  },
  {
    flag: "jwt-public-key", key: "jwtPublicKey", env: "EVENTS_JWT_PUBLIC_KEY", value: "FILE", help: "PEM public key file verifying tokens (RS256, ES256, EdDSA)",
    apply: (raw, into, io) => {
      const pem = readPublicKeyFile(raw, io.readTextFile);
      if (pem.problem !== undefined) return pem.problem;
      into.jwtPublicKey = pem.text;
      return undefined;
    },
  },
  {
    flag: "jwks-url", key: "jwksUrl", env: "EVENTS_JWKS_URL", value: "URL", help: "JWKS whose keys verify tokens",
    apply: (raw, into) => (isHttpUrl(raw) ? void (into.jwksUrl = raw) : `must be an http:// or https:// URL (got ${quote(raw)})`),
  },
  {
    flag: "jwt-issuer", key: "jwtIssuer", env: "EVENTS_JWT_ISSUER", value: "ISS", help: "the iss a token must carry",
    apply: (raw, into) => (raw.trim() === "" ? "must not be empty" : void (into.jwtIssuer = raw)),
  },
  {
    flag: "jwt-audience", key: "jwtAudience", env: "EVENTS_JWT_AUDIENCE", value: "AUD", help: "the aud a token must carry",
    apply: (raw, into) => (raw.trim() === "" ? "must not be empty" : void (into.jwtAudience = raw)),
  },
  {
    flag: "jwt-claim", key: "jwtClaim", env: "EVENTS_JWT_CLAIM", value: "NAME", help: "token claim listing { subscribe, publish } topics",
    apply: (raw, into) => (/^[\x21-\x7e]{1,100}$/.test(raw) ? void (into.jwtClaim = raw) : `must be 1-100 printable ASCII characters without spaces (got ${quote(raw)})`),
  },
  {
    flag: "public-topics", key: "publicTopics", env: "EVENTS_PUBLIC_TOPICS", value: "PATTERNS", help: "comma-separated topics and patterns anyone may follow",
    apply: (raw, into) => {
      const patterns = raw.split(",").map((pattern) => pattern.trim()).filter((pattern) => pattern !== "");
      if (patterns.length === 0) return "must name at least one topic or pattern, e.g. news/*";
      for (const pattern of patterns) {
        const reason = topicPatternProblem(pattern);
        if (reason !== undefined) return reason;
      }
      into.publicTopics = patterns;
      return undefined;
    },
  },
  {
    flag: "auth-cookie", key: "authCookie", env: "EVENTS_AUTH_COOKIE", value: "NAME", help: "cookie a browser's token comes in",
    apply: (raw, into) => (isCookieName(raw) ? void (into.authCookie = raw) : `must be a cookie name (letters, digits and !#$%&'*+-.^_\`|~; got ${quote(raw)})`),
  },
  {
    flag: "allow-query-token", key: "allowQueryToken", env: "EVENTS_ALLOW_QUERY_TOKEN", value: "", switch: true, help: "accept ?access_token= (never logged)",
    apply: (raw, into) => {
      const on = switchValue(raw);
      if (on === undefined) return `must be true or false (got ${quote(raw)})`;
      into.allowQueryToken = on;
      return undefined;
    },
  },
  {
    flag: "broker", key: "broker", env: "EVENTS_BROKER", value: "memory|redis|postgres", help: "where events are stored",
    apply: (raw, into) => {
      if (raw !== "memory" && raw !== "redis" && raw !== "postgres") return `must be memory, redis or postgres (got ${quote(raw)})`;
      into.broker = raw;
      return undefined;
    },
  },
  {
    flag: "redis-url", key: "redisUrl", env: "REDIS_URL", value: "URL", help: "Redis URL for --broker redis",
    apply: (raw, into) => {
      if (!/^rediss?:\/\/[^\s]+$/.test(raw) || !URL.canParse(raw)) {
        return `must be a redis:// or rediss:// URL (got ${quote(raw)})`;
      }
      into.redisUrl = raw;
      return undefined;
    },
  },
  {
    flag: "redis-stream-key", key: "redisStreamKey", env: "EVENTS_REDIS_STREAM_KEY", value: "KEY",
    help: "Redis stream key for --broker redis",
    apply: (raw, into) => {
      if (!/^[\x21-\x7e]{1,256}$/.test(raw)) return `must be 1-256 printable ASCII characters without spaces (got ${quote(raw)})`;
      into.redisStreamKey = raw;
      return undefined;
    },
  },
  {
    // Checked after every flag is read (see loadServerOptions): DATABASE_URL is often set for
    // other tools, and only matters with --broker postgres.
    flag: "postgres-url", key: "postgresUrl", env: "DATABASE_URL", value: "URL", help: "Postgres URL for --broker postgres",
    apply: (raw, into) => void (into.postgresUrl = raw),
  },
  {
    flag: "postgres-table", key: "postgresTable", env: "EVENTS_POSTGRES_TABLE", value: "TABLE", help: "history table for --broker postgres",
    apply: (raw, into) => postgresTableProblem(raw) ?? void (into.postgresTable = raw),
  },
  {
    flag: "web-root", key: "webRoot", env: "EVENTS_WEB_ROOT", value: "DIR", help: "built web client served at /",
    apply: (raw, into) => (raw.trim() === "" ? "must not be empty" : void (into.webRoot = raw)),
  },
  {
    flag: "contract", key: "contract", env: "EVENTS_CONTRACT", value: "FILE", help: "module exporting defineEvents(...) (default or `events`) to serve",
    apply: (raw, into) => (raw.trim() === "" ? "must not be empty" : void (into.contract = raw)),
  },
  {
    flag: "log-level", key: "logLevel", env: "EVENTS_LOG_LEVEL", value: LOG_LEVELS.join("|"), help: "lowest log level written (request lines are info)",
    apply: (raw, into) => {
      if (!isLogLevelSetting(raw)) return `must be one of ${LOG_LEVELS.join(", ")} (got ${quote(raw)})`;
      into.logLevel = raw;
      return undefined;
    },
  },
  {
    flag: "log-format", key: "logFormat", env: "EVENTS_LOG_FORMAT", value: "text|json", help: "log line format",
    apply: (raw, into) => {
      if (raw !== "text" && raw !== "json") return `must be text or json (got ${quote(raw)})`;
      into.logFormat = raw;
      return undefined;
    },
  },
];

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
  const rows = FLAGS.map((spec) => [`--${spec.flag}${spec.value === "" ? "" : ` ${spec.value}`}`, spec.env, defaultText(spec), spec.help] as const);
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

const KNOWN_FLAGS = new Set(FLAGS.map((spec) => spec.flag));
const SWITCHES = new Set(FLAGS.filter((spec) => spec.switch === true).map((spec) => spec.flag));

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
  for (const spec of FLAGS) {
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

/**
 * Merges programmatic options over {@link DEFAULT_SERVER_OPTIONS} and checks them (the
 * same ranges as the flags), so an embedding program fails at construction, not later.
 * @throws {ServerOptionsError} `INVALID_OPTION` naming the option, the rule and the value.
 */
export function resolveServerOptions(partial: Partial<ServerOptions> = {}): ServerOptions {
  const options: ServerOptions = { ...DEFAULT_SERVER_OPTIONS, ...stripUndefined(partial) };
  const checkInteger = (name: keyof ServerOptions, value: number, min: number): void => {
    if (!Number.isSafeInteger(value) || value < min) {
      throw new ServerOptionsError("INVALID_OPTION", `server option ${name} must be an integer >= ${min} (got ${describeValue(value)})`);
    }
  };
  checkInteger("httpPort", options.httpPort, 0);
  checkInteger("historySize", options.historySize, 1);
  checkInteger("historyBytes", options.historyBytes, 1);
  checkInteger("maxRetainedTopics", options.maxRetainedTopics, 1);
  checkInteger("maxTopics", options.maxTopics, 1);
  if (options.historyTtlMs !== false) checkInteger("historyTtlMs", options.historyTtlMs, 1);
  const topicReason = topicProblem(options.defaultTopic);
  if (topicReason !== undefined) {
    throw new ServerOptionsError("INVALID_OPTION", `server option defaultTopic: ${topicReason}`);
  }
  checkInteger("retryMs", options.retryMs, 0);
  checkInteger("maxClients", options.maxClients, 1);
  checkInteger("maxBodyBytes", options.maxBodyBytes, 1);
  checkInteger("maxBatch", options.maxBatch, 1);
  checkInteger("maxBufferBytes", options.maxBufferBytes, 1);
  if (options.keepAliveMs !== false) checkInteger("keepAliveMs", options.keepAliveMs, 1);
  if (!isLogLevelSetting(options.logLevel)) {
    throw new ServerOptionsError("INVALID_OPTION", `server option logLevel must be one of ${LOG_LEVELS.join(", ")} (got ${describeValue(options.logLevel)})`);
  }
  if (options.logFormat !== "text" && options.logFormat !== "json") {
    throw new ServerOptionsError("INVALID_OPTION", `server option logFormat must be text or json (got ${describeValue(options.logFormat)})`);
  }
  if (options.broker === "postgres") {
    // Only then: a DATABASE_URL read for another tool must not stop a server that never uses it.
    const urlReason = options.postgresUrl === false ? "is required with broker postgres" : postgresUrlProblem(options.postgresUrl);
    if (urlReason !== undefined) throw new ServerOptionsError("INVALID_OPTION", `server option postgresUrl ${urlReason}`);
  }
  const tableReason = postgresTableProblem(options.postgresTable);
  if (tableReason !== undefined) throw new ServerOptionsError("INVALID_OPTION", `server option postgresTable ${tableReason}`);
  if (options.triggerToken === "") {
    throw new ServerOptionsError("INVALID_OPTION", "server option triggerToken must not be empty (use false for none)");
  }
  if (options.triggerToken !== false && !/^[\x21-\x7e]+$/.test(options.triggerToken)) {
    throw new ServerOptionsError(
      "INVALID_OPTION",
      "server option triggerToken must be printable ASCII without spaces (it is sent as Authorization: Bearer <token>)",
    );
  }
  return Object.freeze(options);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
