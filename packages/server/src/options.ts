/**
 * The server's configuration: one options object, its frozen defaults, and the check of
 * options given in code. Flags and environment variables are read in `load-server-options.ts`.
 */
import { DEFAULT_MAX_PUBLISH_BATCH } from "@events/contract";
import { DEFAULT_MEMORY_BROKER_OPTIONS, DEFAULT_TOPIC, describeValue } from "@events/sse-core";
import { postgresTableProblem, postgresUrlProblem, topicProblem } from "./option-values.ts";
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
