import { describe, expect, test } from "vitest";
import { createAllowedMethods, normalizeRoutePath } from "./allowed-methods.ts";

describe("createAllowedMethods", () => {
  const allowed = createAllowedMethods([
    { method: "POST", path: "/events/trigger" },
    { method: "GET", path: "/events/stream" },
    { method: "HEAD", path: "/events/stream" },
    { method: "GET", path: "" },
  ]);

  test("lists a path's methods in reading order, with HEAD for every GET", () => {
    expect(allowed("/events/trigger")).toBe("POST");
    expect(allowed("/events/stream")).toBe("GET, HEAD");
    expect(allowed("/")).toBe("GET, HEAD");
  });

  test("treats a trailing slash as the same path and knows nothing of other paths", () => {
    expect(allowed("/events/trigger/")).toBe("POST");
    expect(allowed("/events")).toBeUndefined();
  });
});

describe("normalizeRoutePath", () => {
  test("drops trailing slashes and names the root /", () => {
    expect(normalizeRoutePath("/healthz//")).toBe("/healthz");
    expect(normalizeRoutePath("")).toBe("/");
    expect(normalizeRoutePath("/")).toBe("/");
  });
});
