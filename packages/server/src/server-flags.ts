/**
 * The server's command-line flags: each one's environment twin, its `--help` row, and how its
 * value is checked and applied to {@link ServerOptions}.
 */
import {
  integer,
  isCookieName,
  isHttpUrl,
  isOrigin,
  jwtSecretProblem,
  parseDuration,
  postgresTableProblem,
  quote,
  readPublicKeyFile,
  switchValue,
  topicPatternProblem,
  topicProblem,
} from "./option-values.ts";
import { isLogLevelSetting, LOG_LEVELS } from "./logging/logger.ts";
import type { ServerOptions } from "./options.ts";

/** What loading the options may do besides reading `argv` and `env`. */
export interface ServerOptionsIo {
  /** Reads a text file (`--jwt-public-key FILE`); throws when it cannot. @default none: such a flag exits 2 */
  readonly readTextFile?: (path: string) => string;
}

/** One flag: its name, the option it sets, its environment twin, its `--help` row and its check. */
export interface FlagSpec {
  readonly flag: string;
  readonly key: keyof ServerOptions;
  readonly env: string;
  readonly value: string;
  readonly help: string;
  /** A switch: `--flag` alone means `true`; `--flag=false` and its twin `false`/`0` turn it off. */
  readonly switch?: true;
  readonly apply: (raw: string, into: Mutable<ServerOptions>, io: ServerOptionsIo) => string | undefined;
}

/** `T` with every field writable: the options the flags fill in, one by one. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The flags, their environment twins, and how each is checked. A check returns a reason
 * when the value is bad (printed after `--flag:` and exit status 2).
 */
export const SERVER_FLAGS: readonly FlagSpec[] = [
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
