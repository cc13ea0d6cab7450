import { describe, expect, test } from "vitest";
import { suggest } from "./suggest.ts";

const COMMANDS = ["trigger", "stream", "publish", "events", "completion", "help"];

describe("suggest", () => {
  test("finds a word one or two edits away, swapped neighbours counting one", () => {
    expect(suggest("trgger", COMMANDS)).toBe("trigger");
    expect(suggest("tirgger", COMMANDS)).toBe("trigger");
    expect(suggest("stream", ["stream"])).toBeUndefined();
    expect(suggest("Stream", COMMANDS)).toBe("stream");
    expect(suggest("--mesage", ["--message", "--body", "--json"])).toBe("--message");
  });

  test("allows one edit only for short words", () => {
    expect(suggest("hlp", COMMANDS)).toBe("help");
    expect(suggest("hx", COMMANDS)).toBeUndefined();
  });

  test("takes a prefix of exactly one candidate", () => {
    expect(suggest("--last", ["--last-event-id", "--count"])).toBe("--last-event-id");
    expect(suggest("pub", COMMANDS)).toBe("publish");
    expect(suggest("--t", ["--topic", "--token", "--timeout"])).toBeUndefined();
  });

  test("suggests nothing for a tie or a word far from all", () => {
    expect(suggest("bsh", ["bash", "zsh", "fish"])).toBeUndefined();
    expect(suggest("deploy", COMMANDS)).toBeUndefined();
  });
});
