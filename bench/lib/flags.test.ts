import { describe, expect, test } from "vitest";
import { integerFlag, listFlag, parseFlags } from "./flags.ts";

describe("parseFlags", () => {
  test("reads boolean and string flags by name", () => {
    expect(parseFlags({ quick: "boolean", rounds: "string", out: "string" }, ["--quick", "--rounds", "5"])).toEqual({ quick: true, rounds: "5" });
  });

  test("refuses an unknown flag", () => {
    expect(() => parseFlags({ quick: "boolean" }, ["--quik"])).toThrow();
  });
});

describe("integerFlag", () => {
  test("answers the fallback when the flag is absent and refuses what is not a positive integer", () => {
    expect(integerFlag("rounds", undefined, 3)).toBe(3);
    expect(integerFlag("rounds", "5", 3)).toBe(5);
    expect(() => integerFlag("rounds", "five", 3)).toThrow('--rounds must be a positive integer (got "five")');
    expect(() => integerFlag("rounds", "0", 3)).toThrow("--rounds must be a positive integer");
  });
});

describe("listFlag", () => {
  const peers = ["ours", "minimal-bun", "nchan"] as const;

  test("keeps the allowed order and answers all names when the flag is absent", () => {
    expect(listFlag("peers", "nchan,ours", peers)).toEqual(["ours", "nchan"]);
    expect(listFlag("peers", undefined, peers)).toEqual(["ours", "minimal-bun", "nchan"]);
  });

  test("refuses a name that is not allowed", () => {
    expect(() => listFlag("peers", "ours,nginx", peers)).toThrow('--peers: unknown "nginx" (choose from ours, minimal-bun, nchan)');
  });
});
