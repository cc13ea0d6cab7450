import { describe, expect, test } from "vitest";
import { SseError, describeValue } from "./errors.ts";

describe("SseError", () => {
  test("carries its code, name and cause", () => {
    const cause = new Error("root");
    const error = new SseError("INVALID_ID", "event id must not contain LF", { cause });
    expect(error.name).toBe("SseError");
    expect(error.code).toBe("INVALID_ID");
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
  });

  test("describeValue truncates long values", () => {
    expect(describeValue("a\nb")).toBe('"a\\nb"');
    expect(describeValue("x".repeat(100)).length).toBe(41);
  });
});
