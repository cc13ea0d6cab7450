// The auth flags: how each is read, what a bad one says, and that a secret is never printed.
import { describe, expect, test } from "vitest";
import { loadServerOptions } from "./load-server-options.ts";
import { serverHelpText } from "./server-help.ts";

const SECRET = "correct-horse-battery-staple-0123456789";
const PEM = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n";

function load(argv: string[], env: Record<string, string> = {}, files: Record<string, string> = {}) {
  return loadServerOptions(argv, env, {
    readTextFile: (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: "ENOENT" });
      return text;
    },
  });
}

function run(argv: string[], env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const loaded = load(argv, env, files);
  if (loaded.kind !== "run") throw new Error(`expected options, got exit ${loaded.exitCode}: ${loaded.output}`);
  return loaded.options;
}

function exitOutput(argv: string[], env: Record<string, string> = {}, files: Record<string, string> = {}): string {
  const loaded = load(argv, env, files);
  if (loaded.kind !== "exit") throw new Error("expected an exit");
  expect(loaded.exitCode).toBe(2);
  return loaded.output;
}

describe("auth flags", () => {
  test("leave auth off by default", () => {
    expect(run([])).toMatchObject({
      jwtSecret: false, jwtPublicKey: false, jwksUrl: false, jwtIssuer: false, jwtAudience: false,
      jwtClaim: "events", publicTopics: [], authCookie: "events_token", allowQueryToken: false,
    });
  });

  test("read every auth setting from its environment twin", () => {
    const options = run([], {
      EVENTS_JWT_SECRET: SECRET, EVENTS_JWT_PUBLIC_KEY: "/keys/pub.pem", EVENTS_JWKS_URL: "http://id.local/jwks",
      EVENTS_JWT_ISSUER: "iss", EVENTS_JWT_AUDIENCE: "aud", EVENTS_JWT_CLAIM: "c", EVENTS_PUBLIC_TOPICS: "a,b/*",
      EVENTS_AUTH_COOKIE: "tok", EVENTS_ALLOW_QUERY_TOKEN: "1",
    }, { "/keys/pub.pem": PEM });
    expect(options).toMatchObject({
      jwtSecret: SECRET, jwtPublicKey: PEM, jwksUrl: "http://id.local/jwks", jwtIssuer: "iss", jwtAudience: "aud",
      jwtClaim: "c", publicTopics: ["a", "b/*"], authCookie: "tok", allowQueryToken: true,
    });
  });

  test("read --jwt-public-key's file at start, as PEM text", () => {
    expect(run(["--jwt-public-key", "/k.pem"], {}, { "/k.pem": PEM }).jwtPublicKey).toBe(PEM);
  });

  test("take --allow-query-token alone, or with a value", () => {
    expect(run(["--allow-query-token"]).allowQueryToken).toBe(true);
    expect(run(["--allow-query-token=false"]).allowQueryToken).toBe(false);
    expect(run(["--allow-query-token", "--host", "127.0.0.1"])).toMatchObject({ allowQueryToken: true, host: "127.0.0.1" });
    expect(run(["--allow-query-token=off"], { EVENTS_ALLOW_QUERY_TOKEN: "true" }).allowQueryToken).toBe(false);
  });

  const bad: [string[], Record<string, string>, string][] = [
    [["--jwt-public-key", "/missing.pem"], {}, 'events-server: --jwt-public-key cannot read "/missing.pem" (ENOENT); give a readable PEM public key file'],
    [["--jwt-public-key", "/cert.txt"], {}, 'events-server: --jwt-public-key "/cert.txt" is not a PEM public key (-----BEGIN PUBLIC KEY-----)'],
    [["--jwt-public-key", "/private.pem"], {}, 'events-server: --jwt-public-key "/private.pem" holds a private key; give its public key (openssl pkey -in key.pem -pubout)'],
    [[], { EVENTS_JWT_PUBLIC_KEY: "/missing.pem" }, 'events-server: EVENTS_JWT_PUBLIC_KEY cannot read "/missing.pem" (ENOENT)'],
    [["--jwks-url", "ftp://x"], {}, 'events-server: --jwks-url must be an http:// or https:// URL (got "ftp://x")'],
    [["--public-topics", "a,b/**"], {}, "events-server: --public-topics"],
    [["--public-topics", " , "], {}, "events-server: --public-topics must name at least one topic or pattern"],
    [["--auth-cookie", "a=b"], {}, "events-server: --auth-cookie must be a cookie name"],
    [["--jwt-claim", "two words"], {}, "events-server: --jwt-claim must be 1-100 printable ASCII characters"],
    [["--jwt-issuer", " "], {}, "events-server: --jwt-issuer must not be empty"],
    [["--allow-query-token=maybe"], {}, 'events-server: --allow-query-token must be true or false (got "maybe")'],
  ];
  for (const [argv, env, reason] of bad) {
    test(`exits 2 with one line for ${argv.join(" ") || Object.keys(env).join(" ")}`, () => {
      const output = exitOutput(argv, env, { "/cert.txt": "hello", "/private.pem": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" });
      expect(output).toContain(reason);
      expect(output.split("\n").length).toBe(1);
    });
  }

  test("never print a secret: not in a bad-value reason, not in --help", () => {
    const short = "hunter2-short";
    expect(exitOutput(["--jwt-secret", short])).toBe(
      "events-server: --jwt-secret must be at least 32 bytes (got 13); generate one with: openssl rand -base64 48",
    );
    expect(exitOutput([], { EVENTS_JWT_SECRET: short })).not.toContain(short);
    const help = load(["--help"], { EVENTS_JWT_SECRET: SECRET, EVENTS_TRIGGER_TOKEN: "tok-secret" });
    expect(help).toMatchObject({ kind: "exit", exitCode: 0 });
    const text = help.kind === "exit" ? help.output : "";
    expect(text).toBe(serverHelpText());
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("tok-secret");
    expect(text).toMatch(/--jwt-secret SECRET\s+EVENTS_JWT_SECRET\s+off\s/);
    expect(text).toMatch(/--public-topics PATTERNS\s+EVENTS_PUBLIC_TOPICS\s+none\s/);
    expect(text).toMatch(/--auth-cookie NAME\s+EVENTS_AUTH_COOKIE\s+events_token\s/);
    expect(text).toMatch(/--allow-query-token\s+EVENTS_ALLOW_QUERY_TOKEN\s+off\s/);
  });

  test("refuse a public key flag where no file can be read", () => {
    const loaded = loadServerOptions(["--jwt-public-key", "/k.pem"], {});
    expect(loaded).toMatchObject({ kind: "exit", exitCode: 2 });
  });
});
