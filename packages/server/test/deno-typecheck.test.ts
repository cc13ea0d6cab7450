// `deno check` of the Deno entry and the package entry, so the server keeps type-checking
// under Deno's checker too (tsc never sees src/runtime/deno.ts: it has no Deno types).
// The root deno.json sets `moduleResolution: bundler`, as tsconfig.base.json does for tsc.
// Without it Deno resolves npm types Node-style: Elysia's declarations (CommonJS format,
// its package has no "type": "module") get TypeBox's CommonJS declarations and our ESM
// code gets the ESM ones, so no contract schema is an Elysia schema ("'~standard' is missing").
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { denoMissing as isDenoMissing } from "./support/deno.ts";

const REPO_ROOT = decodeURIComponent(new URL("../../../", import.meta.url).pathname);

const denoMissing = isDenoMissing("deno check of the server");

describe("deno check", () => {
  // One `deno check` per entry: Deno groups the roots of one run into programs, and a
  // group can hide the errors one entry would report alone.
  for (const entry of ["packages/server/src/runtime/deno.ts", "packages/server/src/index.ts"]) {
    test.skipIf(denoMissing)(`type-checks ${entry} without errors`, () => {
      const result = spawnSync("deno", ["check", "--config", "deno.json", entry], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
        timeout: 60_000,
      });
      const errors = `${result.stdout}${result.stderr}`.split("\n").filter((line) => /\[ERROR\]|^error:/.test(line));
      expect(errors).toEqual([]);
      expect(result.status).toBe(0);
    }, 90_000);
  }
});
