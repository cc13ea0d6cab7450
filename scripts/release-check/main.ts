// `bun run release:check`: everything short of publishing. Builds the public packages, runs
// `deno publish --dry-run` for each with a deno.json, packs each into the tarball it would
// publish, installs the tarballs into fresh apps under a temp folder (Node 20 with tsc --strict,
// Deno, Bun, a browser bundle) and runs a smoke program in each against the real server.
// Prints a summary and exits 1 on any failure. `--keep` keeps the temp folder (the tarballs
// to publish are in its tarballs/ folder).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppReport, browserBundle, bunApp, denoApp, nodeApp } from "./apps.ts";
import { denoPublishDryRun } from "./deno-publish.ts";
import { type LiveServer, startLiveServer } from "./live-server.ts";
import { type PackedPackage, packPackage } from "./pack.ts";
import { publicPackages } from "./packages.ts";
import { runOrThrow } from "./run.ts";

interface StepResult {
  readonly name: string;
  readonly ok: boolean;
  readonly lines: readonly string[];
  readonly ms: number;
}

const root = join(import.meta.dir, "..", "..");
const keep = process.argv.includes("--keep");
const temp = mkdtempSync(join(tmpdir(), "events-release-check-"));
const results: StepResult[] = [];
const started = performance.now();

/** Runs one step, records it and prints it at once; a failure never stops the steps that do not depend on it. */
async function step<T>(name: string, body: () => Promise<T> | T, describe: (value: T) => readonly string[]): Promise<T | undefined> {
  const begun = performance.now();
  try {
    const value = await body();
    results.push({ name, ok: true, lines: describe(value), ms: performance.now() - begun });
    return value;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    results.push({ name, ok: false, lines: message.split("\n").slice(0, 40), ms: performance.now() - begun });
    return undefined;
  } finally {
    const last = results.at(-1);
    if (last !== undefined) console.log(`${last.ok ? "ok  " : "FAIL"} ${last.name} (${(last.ms / 1000).toFixed(1)} s)`);
  }
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

const packages = await publicPackages(root);
const names = packages.map((pkg) => pkg.name);
console.log(`release:check: ${names.join(", ")} (temp folder ${temp})`);

const built = await step(
  "build",
  () => runOrThrow([join(root, "node_modules", ".bin", "turbo"), "run", "build", ...names.map((name) => `--filter=${name}`)], { cwd: root, timeoutMs: 180_000 }),
  () => [`turbo run build: ${names.length} packages`],
);

for (const pkg of packages.filter((candidate) => candidate.hasDenoJson)) {
  await step(`jsr ${pkg.name}`, () => denoPublishDryRun(pkg), (note) => [note]);
}

const packed: PackedPackage[] = [];
if (built !== undefined) {
  const outDir = join(temp, "tarballs");
  mkdirSync(outDir, { recursive: true });
  for (const pkg of packages) {
    const one = await step(
      `pack ${pkg.name}`,
      () => packPackage(pkg, root, join(temp, "stage"), outDir),
      (value) => [`${value.tarball.split("/").pop()}: ${kib(value.bytes)} packed, ${value.files.length} files, no workspace:, no source conditions, no tests`],
    );
    if (one !== undefined) packed.push(one);
  }
}

if (packed.length === packages.length) {
  const server: LiveServer | undefined = await step("server", () => startLiveServer(root), (live) => [`packages/server/src/runtime/bun.ts on ${live.baseUrl}`]);
  if (server !== undefined) {
    const report = (value: AppReport): readonly string[] => value.lines;
    await step("node app (Node 20, ESM)", () => nodeApp(join(temp, "node-app"), packed, server.baseUrl), report);
    await step("deno app", () => denoApp(join(temp, "deno-app"), packed, server.baseUrl), report);
    const bun = await step("bun app", () => bunApp(join(temp, "bun-app"), packed, server.baseUrl), report);
    if (bun !== undefined) await step("browser bundle", () => browserBundle(join(temp, "bun-app")), report);
    await server.stop();
    if (results.some((result) => !result.ok)) console.log(`\nserver output:\n${server.output().trim()}`);
  }
}

const failed = results.filter((result) => !result.ok);
console.log("\nrelease:check summary");
for (const result of results) {
  console.log(`  ${result.ok ? "ok  " : "FAIL"} ${result.name}`);
  for (const line of result.lines) console.log(`       ${line}`);
}
if (packed.length < packages.length && failed.length === 0) failed.push({ name: "pack", ok: false, lines: [], ms: 0 });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`\n${results.length - failed.length} ok, ${failed.length} failed in ${seconds} s`);
if (keep) console.log(`kept ${temp} (tarballs in ${join(temp, "tarballs")})`);
else rmSync(temp, { recursive: true, force: true });
process.exit(failed.length === 0 ? 0 : 1);
