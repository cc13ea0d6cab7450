// Compiles the CLI into one self-contained executable: apps/cli/dist/events-cli.
//
// Usage: bun scripts/build.ts [--if-stale]
// --if-stale skips the compile when the binary is newer than every source file it is
// built from (the CLI's, the SDK's and sse-core's), so `bun run test` after `bun run build`
// compiles once: on 2 shared cores a compile takes several seconds.
import { Glob } from "bun";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const cliDir = resolve(import.meta.dir, "..");
const repoDir = resolve(cliDir, "../..");
const outfile = join(cliDir, "dist", "events-cli");
const sourceDirs = [join(cliDir, "src"), join(repoDir, "packages/client-sdk/src"), join(repoDir, "packages/sse-core/src")];

function newestSourceMs(): number {
  let newest = statSync(join(cliDir, "package.json")).mtimeMs;
  for (const dir of sourceDirs) {
    if (!existsSync(dir)) continue;
    for (const file of new Glob("**/*.ts").scanSync(dir)) {
      if (file.endsWith(".test.ts")) continue;
      newest = Math.max(newest, statSync(join(dir, file)).mtimeMs);
    }
  }
  return newest;
}

if (process.argv.includes("--if-stale") && existsSync(outfile) && statSync(outfile).mtimeMs > newestSourceMs()) {
  console.log(`build: ${outfile} is up to date`);
  process.exit(0);
}

mkdirSync(join(cliDir, "dist"), { recursive: true });
const started = performance.now();
// --bytecode precompiles the bundle so start-up skips parsing (see bench/NOTES.md, "CLI").
// A compiled binary would otherwise load .env and bunfig.toml from whatever directory it
// runs in: a .env with EVENTS_URL next to an unrelated project must not redirect the CLI.
const proc = Bun.spawnSync(
  ["bun", "build", "--compile", "--minify", "--bytecode", "--format=esm", "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig", join(cliDir, "src/main.ts"), "--outfile", outfile],
  { cwd: cliDir, stdout: "inherit", stderr: "inherit" },
);
if (proc.exitCode !== 0) {
  console.error(`build: bun build --compile failed with status ${proc.exitCode}`);
  process.exit(proc.exitCode ?? 1);
}
console.log(`build: wrote ${outfile} (${(statSync(outfile).size / 1024 / 1024).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
