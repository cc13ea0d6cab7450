// Builds a consumer's browser bundle the way an app ships it and checks that no server-side
// code went in: Elysia, TypeBox, Eden, or the server and contract packages (types only).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { runOrThrow } from "./run.ts";

/** Inputs that must never reach a client bundle. */
const SERVER_SIDE = /node_modules\/(?:elysia|@sinclair\/typebox|@elysiajs|@events\/server|@events\/contract|@events\/redis-broker|ioredis)\//;

export interface BrowserBundle {
  /** Absolute path of the bundle. */
  readonly file: string;
  readonly minifiedBytes: number;
  readonly gzippedBytes: number;
  readonly summary: string;
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

/** Bundles `entry` (in `dir`) for the browser, minified; throws when server-side code is inside. */
export function checkBrowserBundle(dir: string, entry: string): BrowserBundle {
  const file = join(dir, "dist", "browser.js");
  const metafile = join(dir, "dist", "meta.json");
  runOrThrow(["bun", "build", entry, "--minify", "--target", "browser", `--outfile=${file}`, `--metafile=${metafile}`], { cwd: dir });
  const inputs = Object.keys((JSON.parse(readFileSync(metafile, "utf8")) as { inputs: Record<string, unknown> }).inputs);
  const leaked = inputs.filter((input) => SERVER_SIDE.test(input));
  if (leaked.length > 0) {
    const shown = leaked.slice(0, 5).join(", ");
    throw new Error(`the browser bundle holds server-side code (${leaked.length} modules): ${shown}${leaked.length > 5 ? ", ..." : ""}`);
  }
  const code = readFileSync(file);
  // Belt and braces: markers of the libraries' runtime code, whatever path they came by.
  for (const marker of ["TypeCompiler", "TypeBoxError", "ElysiaCustomStatusResponse"]) {
    if (code.includes(marker)) throw new Error(`the browser bundle holds server-side code (${marker})`);
  }
  const minifiedBytes = code.length;
  const gzippedBytes = gzipSync(code, { level: 9 }).length;
  return {
    file,
    minifiedBytes,
    gzippedBytes,
    summary: `bun build --minify --target browser: ${kib(minifiedBytes)} minified, ${kib(gzippedBytes)} gzipped, ${inputs.length} modules, no Elysia/TypeBox/server code`,
  };
}
