import { describe, expect, test } from "vitest";
import { resolveServerOptions } from "../options.ts";
import { isLoopbackHost, openServerWarning } from "./open-server-warning.ts";

describe("openServerWarning", () => {
  test("warns of an open server on a non-loopback address", () => {
    expect(openServerWarning(resolveServerOptions({ host: "0.0.0.0", httpPort: 8080 }))).toBe(
      "no authentication configured: anyone who reaches 0.0.0.0:8080 may follow and publish to every topic; " +
        "set --jwt-secret, --jwt-public-key or --jwks-url (README: Authorization), or bind --host 127.0.0.1",
    );
    expect(openServerWarning(resolveServerOptions({ host: "10.0.0.5", triggerToken: "t" }))).toContain("may follow every topic;");
  });

  test("says nothing with auth on or on a loopback address", () => {
    expect(openServerWarning(resolveServerOptions({ host: "0.0.0.0", jwtSecret: "s".repeat(32) }))).toBeUndefined();
    expect(openServerWarning(resolveServerOptions({ host: "0.0.0.0", publicTopics: ["news/*"] }))).toBeUndefined();
    expect(openServerWarning(resolveServerOptions({ host: "127.0.0.1" }))).toBeUndefined();
  });

  test("knows the loopback addresses", () => {
    for (const host of ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"]) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ["0.0.0.0", "::", "10.0.0.1", "example.com", "128.0.0.1"]) expect(isLoopbackHost(host)).toBe(false);
  });
});
