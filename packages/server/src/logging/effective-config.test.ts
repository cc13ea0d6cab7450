import { describe, expect, test } from "vitest";
import { DEFAULT_SERVER_OPTIONS, resolveServerOptions } from "../options.ts";
import { describeServerOptions, maskUrlPassword, serverSecrets } from "./effective-config.ts";

describe("describeServerOptions", () => {
  test("lists every option, false as off and lists joined", () => {
    const fields = describeServerOptions(resolveServerOptions({ corsOrigins: ["https://a.example", "https://b.example"] }));
    expect(Object.keys(fields).sort()).toEqual(Object.keys(DEFAULT_SERVER_OPTIONS).sort());
    expect(fields).toMatchObject({ httpPort: 8080, historyTtlMs: "off", triggerToken: "off", corsOrigins: "https://a.example,https://b.example" });
  });

  test("masks the trigger token and the Redis URL's password", () => {
    const fields = describeServerOptions(resolveServerOptions({ triggerToken: "tok-123", redisUrl: "redis://app:hunter2@redis:6379/0" }));
    expect(fields["triggerToken"]).toBe("[redacted]");
    expect(fields["redisUrl"]).toBe("redis://app:[redacted]@redis:6379/0");
    expect(JSON.stringify(fields)).not.toMatch(/tok-123|hunter2/);
  });

  test("masks the JWT secret, shows the public key as PEM and an empty topic list as none", () => {
    const secret = "jwt-secret-0123456789-0123456789-abc";
    const fields = describeServerOptions(resolveServerOptions({ jwtSecret: secret, jwtPublicKey: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n" }));
    expect(fields).toMatchObject({ jwtSecret: "[redacted]", jwtPublicKey: "PEM", publicTopics: "none", authCookie: "events_token", allowQueryToken: "off" });
    expect(JSON.stringify(fields)).not.toContain(secret);
    expect(serverSecrets({ triggerToken: false, redisUrl: "redis://h:1", postgresUrl: false, jwtSecret: secret })).toEqual([secret]);
  });

  test("masks the Postgres URL's password, in the authority or as a password= parameter", () => {
    const fields = describeServerOptions(resolveServerOptions({ broker: "postgres", postgresUrl: "postgres://app:hunter2@db:5432/shop" }));
    expect(fields).toMatchObject({ broker: "postgres", postgresUrl: "postgres://app:[redacted]@db:5432/shop", postgresTable: "events_history" });
    expect(describeServerOptions(resolveServerOptions({}))["postgresUrl"]).toBe("off");
    expect(maskUrlPassword("postgres://db/shop?user=app&password=hunter2&sslmode=require")).toBe(
      "postgres://db/shop?user=app&password=[redacted]&sslmode=require",
    );
  });
});

describe("serverSecrets", () => {
  test("lists the trigger token and the URLs' passwords, as written and decoded", () => {
    expect(serverSecrets({ triggerToken: "tok", redisUrl: "redis://:r%40pw@h:1", postgresUrl: "postgres://u:p%2Fw@h/db?password=q" })).toEqual([
      "tok", "r%40pw", "r@pw", "p%2Fw", "p/w", "q",
    ]);
    expect(serverSecrets({ triggerToken: false, redisUrl: "redis://127.0.0.1:6379", postgresUrl: false })).toEqual([]);
  });
});

describe("maskUrlPassword", () => {
  test("leaves a URL without a password as it is", () => {
    expect(maskUrlPassword("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
    expect(maskUrlPassword("redis://:pw@h:1")).toBe("redis://:[redacted]@h:1");
    expect(maskUrlPassword("postgres://app@db/x")).toBe("postgres://app@db/x");
  });

  test("masks a password holding an unencoded @ up to the host", () => {
    expect(maskUrlPassword("postgres://app:p@ss@db:5432/x")).toBe("postgres://app:[redacted]@db:5432/x");
  });
});
