// Compiles the package (sources, src/types.test-d.ts, and test/) with tsc, so the type
// tests run wherever the unit tests run, not only in the `typecheck` script. (Deno also
// type-checks every test file it runs, with the same Bundler resolution: test/tsconfig.json.)
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "./test-support/server-process.ts";

describe("types", () => {
  for (const project of ["tsconfig.json", "test/tsconfig.json"]) {
    test(`${project} compiles (sources, type tests and tests)`, () => {
      const root = repoRoot();
      const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
      const result = spawnSync("node", [tsc, "-p", join(root, "packages", "client-sdk", project), "--noEmit"], {
        cwd: root,
        encoding: "utf8",
        timeout: 120_000,
      });
      expect(`${result.stdout}${result.stderr}`.trim()).toBe("");
      expect(result.status).toBe(0);
    }, 150_000);
  }
});
