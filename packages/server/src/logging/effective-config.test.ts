import { describe, expect, test } from "vitest";
import { DEFAULT_SERVER_OPTIONS, resolveServerOptions } from "../options.ts";
import { describeServerOptions, maskUrlPassword } from "./effective-config.ts";

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
});

describe("maskUrlPassword", () => {
  test("leaves a URL without a password as it is", () => {
    expect(maskUrlPassword("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
    expect(maskUrlPassword("redis://:pw@h:1")).toBe("redis://:[redacted]@h:1");
  });
});
