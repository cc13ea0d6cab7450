import { execFileSync } from "node:child_process";

/**
 * Whether `deno` can run here. Without it the Deno tests skip with a one-line reason
 * (`what` names them), unless REQUIRE_DENO=1 (CI), which makes a missing Deno an error.
 */
export function denoMissing(what: string): boolean {
  let missing = false;
  try {
    execFileSync("deno", ["--version"], { stdio: "ignore" });
  } catch {
    missing = true;
  }
  if (missing && process.env["REQUIRE_DENO"] === "1") throw new Error("REQUIRE_DENO=1 but `deno` is not on PATH");
  if (missing) console.warn(`skipping ${what}: \`deno\` is not on PATH (set REQUIRE_DENO=1 to fail instead)`);
  return missing;
}
