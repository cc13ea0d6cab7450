// Compiles the server into one self-contained executable, dist/events-server at the repository
// root, with the web page (packages/web's build) embedded: nothing else is needed beside it.
//
// Usage: bun packages/server/scripts/build-binary.ts [--if-stale] [--outfile PATH]
// (`bun run build:server` from the root). --if-stale skips the build when the binary is newer
// than every file it is built from, so a test that needs the binary compiles it at most once.
// Not under packages/server/dist: that folder is the npm package's build, and a 100 MB
// executable must never end up in its tarball.
import { Glob } from "bun";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const repoDir = resolve(import.meta.dir, "../../..");
const webDir = join(repoDir, "packages/web");
const entry = join(repoDir, "packages/server/src/runtime/binary.ts");
const outfileAt = process.argv.indexOf("--outfile");
const outfile = outfileAt === -1 ? join(repoDir, "dist", "events-server") : resolve(process.argv[outfileAt + 1] ?? "");

/** What the binary is built from: the server and the packages it bundles, and the page's sources. */
const SOURCES: readonly string[] = ["server", "sse-core", "contract", "redis-broker", "postgres-broker", "web"].flatMap((name) => [
  `packages/${name}/package.json`,
  `packages/${name}/src/**/*.ts`,
  `packages/${name}/src/**/*.css`,
]).concat(["packages/web/index.html", "packages/web/favicon.svg", "bun.lock"]);

function newestSourceMs(): number {
  let newest = 0;
  for (const pattern of SOURCES) {
    for (const file of new Glob(pattern).scanSync({ cwd: repoDir })) {
      if (file.endsWith(".test.ts")) continue;
      newest = Math.max(newest, statSync(join(repoDir, file)).mtimeMs);
    }
  }
  return newest;
}

function run(what: string, command: string[], cwd: string): void {
  const proc = Bun.spawnSync(command, { cwd, stdout: "inherit", stderr: "inherit" });
  if (proc.exitCode !== 0) {
    console.error(`build:server: ${what} failed with status ${proc.exitCode}`);
    process.exit(proc.exitCode ?? 1);
  }
}

if (process.argv.includes("--if-stale") && existsSync(outfile) && statSync(outfile).mtimeMs > newestSourceMs()) {
  console.log(`build:server: ${outfile} is up to date`);
  process.exit(0);
}

const started = performance.now();
// The page first: the binary embeds whatever packages/web/dist holds when it is compiled.
run("the web page's build", ["bun", "run", "build"], webDir);
mkdirSync(dirname(outfile), { recursive: true });
// --asset embeds the folder (read at run time through node:fs, as @elysiajs/static does);
// binary.ts knows where it lands. --minify and --bytecode as for the CLI (faster start-up).
// A compiled binary would otherwise load .env and bunfig.toml from whatever directory it runs
// in: configuration comes from flags and EVENTS_* variables only, as with `bun run server`.
run("bun build --compile", [
  "bun", "build", "--compile", "--minify", "--bytecode", "--format=esm",
  "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig",
  entry, "--asset", join(webDir, "dist"), "--outfile", outfile,
], repoDir);
console.log(`build:server: wrote ${outfile} (${(statSync(outfile).size / 1024 / 1024).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
