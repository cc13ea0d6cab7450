import { decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, test } from "vitest";
import { runCli } from "../cli.ts";
import { fakeIo } from "../test-support/fake-io.ts";

const SECRET = "0123456789abcdef0123456789abcdef-test";
const key = new TextEncoder().encode(SECRET);
const noServer = (): Response => {
  throw new Error("no request expected");
};

async function mint(argv: readonly string[], env: Record<string, string> = {}, stdin = ""): Promise<{ status: number; token: string; err: string }> {
  const io = fakeIo(noServer, env, stdin);
  const status = await runCli(["token", ...argv], io);
  return { status, token: io.out.join("").trim(), err: io.err.join("") };
}

describe("events-cli token", () => {
  test("prints an HS256 JWT that verifies against the secret, with the claims as given and exp = now + ttl", async () => {
    const { status, token, err } = await mint([
      "--secret", SECRET,
      "--subscribe", "orders/*", "--subscribe", "users/7/*",
      "--publish", "orders/*",
      "--ttl", "90m", "--issuer", "dev", "--audience", "events", "--sub", "user-7",
    ]);
    expect({ status, err }).toEqual({ status: 0, err: "" });
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "JWT" });
    // The fake io's clock: 2026-01-01 12:00 local time.
    const now = Math.floor(new Date(2026, 0, 1, 12, 0, 0, 0).getTime() / 1000);
    const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], issuer: "dev", audience: "events", currentDate: new Date(now * 1000) });
    expect(payload).toEqual({
      events: { subscribe: ["orders/*", "users/7/*"], publish: ["orders/*"] },
      iat: now,
      exp: now + 90 * 60,
      iss: "dev",
      aud: "events",
      sub: "user-7",
    });
  });

  test("reads the secret from EVENTS_JWT_SECRET or from stdin with --secret -, and names the claim after --claim", async () => {
    const fromEnv = await mint(["--subscribe", "news/*"], { EVENTS_JWT_SECRET: SECRET });
    const fromStdin = await mint(["--secret", "-", "--subscribe", "news/*", "--claim", "perms"], {}, `${SECRET}\n`);
    const options = { currentDate: new Date(2026, 0, 1, 12, 0, 0, 0) };
    expect((await jwtVerify(fromEnv.token, key, options)).payload["events"]).toEqual({ subscribe: ["news/*"] });
    expect((await jwtVerify(fromStdin.token, key, options)).payload["perms"]).toEqual({ subscribe: ["news/*"] });
  });

  test("exits 2 on bad flags, never echoing the secret", async () => {
    const cases: string[][] = [
      [],
      ["--secret", "too-short-secret"],
      ["--secret", SECRET, "--ttl", "forever"],
      ["--secret", SECRET, "--subscribe", "a/*/b"],
      ["--secret", SECRET, "--topic", "x"],
      ["--secret", SECRET, "extra"],
    ];
    for (const argv of cases) {
      const result = await mint(argv);
      expect(result.status).toBe(2);
      expect(result.token).toBe("");
      expect(result.err).toContain("Usage:\n  events-cli token");
      expect(result.err).not.toContain(SECRET);
      expect(result.err).not.toContain("too-short-secret");
    }
  });

  test("exits 2 for a short secret read from stdin", async () => {
    const result = await mint(["--secret", "-"], {}, "short\n");
    expect(result.status).toBe(2);
    expect(result.err).toContain("the secret on stdin must be at least 32 bytes, as the server requires (got 5)");
  });
});
