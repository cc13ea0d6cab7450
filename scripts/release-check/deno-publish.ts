// `deno publish --dry-run` of a package with a deno.json: what JSR would take, without publishing.
import type { PublicPackage } from "./packages.ts";
import { runOrThrow } from "./run.ts";

/**
 * Packages published to JSR with slow types allowed, and why. The server's public types are
 * Elysia apps whose route types are inferred from the chain that builds them (that inference
 * is what `App` gives the SDK); spelling them out would restate every route by hand.
 */
export const SLOW_TYPES_ALLOWED: Readonly<Record<string, string>> = {
  "@events/server": "Elysia route types are inferred (App, eventsPlugin)",
};

/** Runs the dry run in the package folder; throws with deno's output on failure. Returns a note. */
export function denoPublishDryRun(pkg: PublicPackage): string {
  const slow = SLOW_TYPES_ALLOWED[pkg.name];
  const flags = slow === undefined ? [] : ["--allow-slow-types"];
  runOrThrow(["deno", "publish", "--dry-run", "--allow-dirty", ...flags], { cwd: pkg.dir, timeoutMs: 120_000 });
  return slow === undefined ? "deno publish --dry-run: ok" : `deno publish --dry-run --allow-slow-types: ok (${slow})`;
}
