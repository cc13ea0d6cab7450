import { describe, expect, test } from "vitest";
import { loadServerOptions } from "./load-server-options.ts";
import { DEFAULT_SERVER_OPTIONS, resolveServerOptions } from "./options.ts";
import { serverHelpText } from "./server-help.ts";
import { ServerOptionsError } from "./server-options-error.ts";

function run(argv: string[], env: Record<string, string> = {}) {
  const loaded = loadServerOptions(argv, env);
  if (loaded.kind !== "run") throw new Error(`expected options, got exit ${loaded.exitCode}: ${loaded.output}`);
  return loaded.options;
}

function exit(argv: string[], env: Record<string, string> = {}) {
  const loaded = loadServerOptions(argv, env);
  if (loaded.kind !== "exit") throw new Error("expected an exit");
  return loaded;
}

describe("loadServerOptions", () => {
  test("uses the defaults with no flags and no environment", () => {
    expect(run([])).toEqual(DEFAULT_SERVER_OPTIONS);
    expect(DEFAULT_SERVER_OPTIONS.httpPort).toBe(8080);
    expect(DEFAULT_SERVER_OPTIONS.webRoot).toMatch(/packages\/web\/dist$/);
  });

  test("reads every flag", () => {
    const options = run([
      "--http-port=9000", "--host", "127.0.0.1", "--history", "50", "--keepalive", "2.5", "--retry", "100",
      "--max-clients", "7", "--max-body", "2048", "--max-batch", "10", "--max-buffer", "4096", "--trigger-token", "t0k",
      "--cors-origin", "https://a.example, http://b.example:8080", "--broker", "redis", "--redis-url", "redis://r:6380/1",
      "--redis-stream-key", "app1:events", "--web-root", "/srv/web", "--history-bytes", "65536", "--history-ttl", "10m",
      "--max-retained-topics", "500", "--default-topic", "news/all", "--max-topics", "4",
      "--log-level", "warn", "--log-format", "json", "--postgres-url", "postgres://app@db:5432/shop", "--postgres-table", "app.events",
      "--jwt-secret", "s".repeat(32), "--jwks-url", "https://id.example/jwks.json", "--jwt-issuer", "https://id.example/",
      "--jwt-audience", "events", "--jwt-claim", "perms", "--public-topics", "news/*, status", "--auth-cookie", "sid", "--allow-query-token",
    ]);
    expect(options).toEqual({
      httpPort: 9000, host: "127.0.0.1", historySize: 50, keepAliveMs: 2500, retryMs: 100, maxClients: 7,
      maxBodyBytes: 2048, maxBatch: 10, maxBufferBytes: 4096, triggerToken: "t0k", corsOrigins: ["https://a.example", "http://b.example:8080"],
      broker: "redis", redisUrl: "redis://r:6380/1", redisStreamKey: "app1:events", webRoot: "/srv/web",
      historyBytes: 65_536, historyTtlMs: 600_000, maxRetainedTopics: 500, defaultTopic: "news/all", maxTopics: 4,
      logLevel: "warn", logFormat: "json", postgresUrl: "postgres://app@db:5432/shop", postgresTable: "app.events",
      jwtSecret: "s".repeat(32), jwtPublicKey: false, jwksUrl: "https://id.example/jwks.json", jwtIssuer: "https://id.example/",
      jwtAudience: "events", jwtClaim: "perms", publicTopics: ["news/*", "status"], authCookie: "sid", allowQueryToken: true,
    });
  });

  test("reads --broker postgres with --postgres-url, or their twins EVENTS_BROKER=postgres, DATABASE_URL and EVENTS_POSTGRES_TABLE", () => {
    expect(run(["--broker", "postgres", "--postgres-url", "postgresql://u:pw@h/db"])).toMatchObject({
      broker: "postgres", postgresUrl: "postgresql://u:pw@h/db", postgresTable: "events_history",
    });
    const env = { EVENTS_BROKER: "postgres", DATABASE_URL: "postgres://127.0.0.1:5432/test", EVENTS_POSTGRES_TABLE: "my_events" };
    expect(run([], env)).toMatchObject({ broker: "postgres", postgresUrl: "postgres://127.0.0.1:5432/test", postgresTable: "my_events" });
    expect(run(["--postgres-url", "postgres://other/db"], env).postgresUrl).toBe("postgres://other/db");
  });

  test("exits 2 when --broker postgres has no URL, naming both ways to give one", () => {
    expect(exit(["--broker", "postgres"]).output).toBe(
      "events-server: --broker postgres needs --postgres-url URL or DATABASE_URL (e.g. postgres://user@127.0.0.1:5432/app)",
    );
  });

  test("ignores a DATABASE_URL of another kind unless the broker is postgres", () => {
    const env = { DATABASE_URL: "mysql://root:pw@db/shop" };
    expect(run([], env).broker).toBe("memory");
    expect(() => resolveServerOptions(run([], env))).not.toThrow();
    expect(exit(["--broker", "postgres"], env).output).toBe(
      'events-server: DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://root:[redacted]@db/shop")',
    );
  });

  test("never prints the Postgres URL's password, in a bad-value reason or in --help", () => {
    const bad = exit(["--postgres-url", "http://app:hunter2@db/x"]).output;
    expect(bad).toBe('events-server: --postgres-url must be a postgres:// or postgresql:// URL (got "http://app:[redacted]@db/x")');
    const help = exit(["--help"], { DATABASE_URL: "postgres://app:hunter2@db/x" }).output;
    expect(help).toMatch(/--postgres-url URL\s+DATABASE_URL\s+off\s/);
    expect(help).toMatch(/--postgres-table TABLE\s+EVENTS_POSTGRES_TABLE\s+events_history\s/);
    expect(help).toMatch(/--broker memory\|redis\|postgres\s/);
    expect(help).not.toContain("hunter2");
  });

  test("reads environment twins, and a flag wins over its twin", () => {
    const env = { EVENTS_HTTP_PORT: "9001", EVENTS_TRIGGER_TOKEN: "env-token", EVENTS_BROKER: "redis", REDIS_URL: "redis://x:1", EVENTS_REDIS_STREAM_KEY: "k" };
    expect(run([], env)).toMatchObject({
      httpPort: 9001, triggerToken: "env-token", broker: "redis", redisUrl: "redis://x:1", redisStreamKey: "k",
    });
    expect(run(["--http-port", "9002"], env).httpPort).toBe(9002);
  });

  test("reads --history-ttl as a duration with a unit, 0 meaning no age limit", () => {
    expect(run(["--history-ttl", "500ms"]).historyTtlMs).toBe(500);
    expect(run(["--history-ttl", "90s"]).historyTtlMs).toBe(90_000);
    expect(run(["--history-ttl", "24h"]).historyTtlMs).toBe(86_400_000);
    expect(run(["--history-ttl", "7d"]).historyTtlMs).toBe(604_800_000);
    expect(run(["--history-ttl", "0"]).historyTtlMs).toBe(false);
    expect(run([], { EVENTS_HISTORY_TTL: "1m", EVENTS_DEFAULT_TOPIC: "a", EVENTS_MAX_TOPICS: "3" })).toMatchObject({
      historyTtlMs: 60_000, defaultTopic: "a", maxTopics: 3,
    });
  });

  test("turns keepalive off with 0 seconds", () => {
    expect(run(["--keepalive", "0"]).keepAliveMs).toBe(false);
  });

  const badFlags: [string[], string][] = [
    [["--http-port", "70000"], "--http-port must be an integer from 0 to 65535 (got \"70000\")"],
    [["--http-port", "8e3"], "--http-port must be an integer"],
    [["--history", "0"], "--history must be an integer from 1"],
    [["--keepalive", "-1"], "--keepalive must be a number of seconds from 0 to 3600"],
    [["--max-clients", "1.5"], "--max-clients must be an integer"],
    [["--trigger-token", "has space"], "--trigger-token must be printable ASCII without spaces"],
    [["--cors-origin", "https://a.example/path"], "--cors-origin must be \"*\" or origins like https://example.com"],
    [["--broker", "kafka"], "--broker must be memory, redis or postgres (got \"kafka\")"],
    [["--postgres-table", "Events;drop"], "--postgres-table must be a lower-case SQL name"],
    [["--postgres-table", "a.b.c"], "--postgres-table must be a lower-case SQL name"],
    [["--postgres-table", "t".repeat(42)], "--postgres-table must be a lower-case SQL name"],
    [["--redis-url", "http://x"], "--redis-url must be a redis:// or rediss:// URL"],
    [["--redis-stream-key", "a b"], "--redis-stream-key must be 1-256 printable ASCII characters"],
    [["--history-ttl", "10"], "--history-ttl must be a duration like 500ms, 90s, 10m, 24h or 7d"],
    [["--log-level", "verbose"], "--log-level must be one of debug, info, warn, error, silent (got \"verbose\")"],
    [["--log-format", "xml"], "--log-format must be text or json (got \"xml\")"],
    [["--history-ttl", "400d"], "--history-ttl must be a duration"],
    [["--history-ttl", "-1s"], "--history-ttl must be a duration"],
    [["--max-retained-topics", "0"], "--max-retained-topics must be an integer from 1"],
    [["--max-topics", "0"], "--max-topics must be an integer from 1"],
    [["--history-bytes", "10"], "--history-bytes must be an integer from 1024"],
    [["--default-topic", "news/*"], '--default-topic topic must contain only ASCII letters, digits and - . _ ~ : @ / (got "news/*"'],
    [["--default-topic", "a//b"], '--default-topic topic must not have an empty, "." or ".." segment'],
    [["--port", "1"], "unknown flag --port"],
    [["--http-port"], "--http-port needs a value"],
    [["--http-port", "--host", "x"], "--http-port needs a value"],
    [["8080"], 'unexpected argument "8080"'],
  ];
  for (const [argv, reason] of badFlags) {
    test(`exits 2 with a one-line reason for ${argv.join(" ")}`, () => {
      const loaded = exit(argv);
      expect(loaded.exitCode).toBe(2);
      expect(loaded.output).toContain(reason);
      expect(loaded.output.split("\n").length).toBe(1);
    });
  }

  test("names the environment variable when a twin is bad", () => {
    expect(exit([], { EVENTS_RETRY: "soon" }).output).toBe('events-server: EVENTS_RETRY must be an integer from 0 to 86400000 (got "soon")');
  });

  test("prints help listing every flag, twin and default, with exit 0", () => {
    const loaded = exit(["--help"]);
    expect(loaded.exitCode).toBe(0);
    expect(loaded.output).toBe(serverHelpText());
    expect(loaded.output).toMatch(/--http-port PORT\s+EVENTS_HTTP_PORT\s+8080/);
    expect(loaded.output).toMatch(/--keepalive SECONDS\s+EVENTS_KEEPALIVE\s+15\s/);
    expect(loaded.output).toMatch(/--redis-url URL\s+REDIS_URL\s+redis:\/\/127\.0\.0\.1:6379/);
    expect(loaded.output).toMatch(/--default-topic TOPIC\s+EVENTS_DEFAULT_TOPIC\s+events\s/);
    expect(loaded.output).toMatch(/--max-topics N\s+EVENTS_MAX_TOPICS\s+32\s/);
    expect(loaded.output).toMatch(/--history-ttl DURATION\s+EVENTS_HISTORY_TTL\s+off\s/);
    expect(loaded.output).toMatch(/--max-retained-topics N\s+EVENTS_MAX_RETAINED_TOPICS\s+10000\s/);
  });
});

describe("resolveServerOptions", () => {
  test("fills defaults and ignores undefined fields", () => {
    expect(resolveServerOptions({ maxClients: 3, host: undefined } as never)).toEqual({ ...DEFAULT_SERVER_OPTIONS, maxClients: 3 });
  });

  test("throws ServerOptionsError INVALID_OPTION naming a bad option", () => {
    expect(() => resolveServerOptions({ maxClients: 0 })).toThrow("server option maxClients must be an integer >= 1 (got 0)");
    expect(() => resolveServerOptions({ keepAliveMs: 1.5 })).toThrow(ServerOptionsError);
    try {
      resolveServerOptions({ keepAliveMs: 1.5 });
    } catch (error) {
      expect((error as ServerOptionsError).code).toBe("INVALID_OPTION");
    }
    expect(() => resolveServerOptions({ triggerToken: "" })).toThrow("triggerToken must not be empty");
    expect(() => resolveServerOptions({ maxTopics: 0 })).toThrow("server option maxTopics must be an integer >= 1 (got 0)");
    expect(() => resolveServerOptions({ historyTtlMs: 0 })).toThrow("server option historyTtlMs must be an integer >= 1 (got 0)");
    expect(() => resolveServerOptions({ defaultTopic: "a/*" })).toThrow("server option defaultTopic: topic must contain only");
    expect(() => resolveServerOptions({ broker: "postgres" })).toThrow("server option postgresUrl is required with broker postgres");
    expect(() => resolveServerOptions({ broker: "postgres", postgresUrl: "redis://x" })).toThrow("server option postgresUrl must be a postgres://");
    expect(() => resolveServerOptions({ postgresTable: "drop table" })).toThrow("server option postgresTable must be a lower-case SQL name");
  });

  test("refuses a trigger token no Authorization header could carry", () => {
    // `Bearer <token>` ends at the first space: such a token would refuse every trigger.
    for (const token of ["two words", "tab\there", "line\nbreak", "caf\u00e9"]) {
      expect(() => resolveServerOptions({ triggerToken: token })).toThrow("triggerToken must be printable ASCII without spaces");
    }
  });
});
