// Bundles a consumer of the SDK the way an app would ship it (bun build, browser target,
// minified, the SDK's TypeScript sources through the `@events/source` condition) and reports
// what went in and how big it came out. Runs `bun` as a child process, so Bun, Deno and Node
// tests can all call it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** What bundling one consumer produced. */
export interface BundleReport {
  /** The source files that went into the bundle, relative to the repository root. */
  readonly inputs: readonly string[];
  readonly code: string;
  readonly minifiedBytes: number;
  readonly gzippedBytes: number;
}

/** Bundles `entry` (a file under `repoRoot`) for the browser, minified. Throws with bun's output when the build fails. */
export function bundleForBrowser(repoRoot: string, entry: string): BundleReport {
  const outDir = mkdtempSync(join(tmpdir(), "sdk-bundle-"));
  try {
    const outfile = join(outDir, "bundle.js");
    const metafile = join(outDir, "meta.json");
    const result = spawnSync(
      "bun",
      ["build", entry, "--target=browser", "--minify", "--conditions=@events/source", `--outfile=${outfile}`, `--metafile=${metafile}`],
      { cwd: repoRoot, encoding: "utf8", timeout: 60_000 },
    );
    if (result.status !== 0) throw new Error(`bun build ${entry} failed:\n${result.stdout}${result.stderr}`);
    const code = readFileSync(outfile, "utf8");
    const meta = JSON.parse(readFileSync(metafile, "utf8")) as { inputs: Record<string, unknown> };
    return {
      inputs: Object.keys(meta.inputs).sort(),
      code,
      minifiedBytes: Buffer.byteLength(code),
      gzippedBytes: gzipSync(code, { level: 9 }).length,
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Inputs that must never reach a client bundle: Elysia, TypeBox, Eden, the server and the contract's code. */
export function serverSideInputs(inputs: readonly string[]): string[] {
  return inputs.filter((input) => /node_modules\/(?:elysia|@sinclair\/typebox|@elysiajs)\/|packages\/(?:server|contract)\//.test(input));
}
