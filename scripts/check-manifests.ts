// Checks that each package's package.json and deno.json agree: same name, same version,
// same license, and Deno's export is the source entry Bun and tsc use ("@events/source"); and
// that every public package (not private) carries what publishing needs: license, repository
// (with its folder), engines, files without tests, sideEffects, exports built to dist/, and
// the root LICENSE exists. `bun run release:check` packs and installs them for real.
// Usage: bun scripts/check-manifests.ts  (exit 1 and one line per mismatch)
import { Glob } from "bun";
import { dirname, join } from "node:path";

interface PackageJson {
  name?: string;
  version?: string;
  private?: boolean;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string };
  engines?: Record<string, string>;
  files?: string[];
  sideEffects?: boolean | string[];
  exports?: Record<string, unknown>;
}

interface DenoJson {
  name?: string;
  version?: string;
  license?: string;
  exports?: string | Record<string, string>;
}

/** Every target of an exports map, but those of the workspace-only source conditions. */
function publishedTargets(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === "@events/source" || key === "bun" ? [] : publishedTargets(inner)));
}

/** What a public package's manifest lacks for publishing, one line each. */
function publishProblems(folder: string, npm: PackageJson): string[] {
  const problems: string[] = [];
  if (npm.license !== "MIT") problems.push(`${folder}: license ${String(npm.license)}, expected MIT`);
  if (npm.repository?.url === undefined || npm.repository.directory !== folder) {
    problems.push(`${folder}: repository needs a url and directory "${folder}"`);
  }
  if (npm.engines === undefined || Object.keys(npm.engines).length === 0) problems.push(`${folder}: no engines`);
  if (npm.sideEffects === undefined) problems.push(`${folder}: no sideEffects`);
  if (!npm.files?.includes("dist") || !npm.files.includes("!src/**/*.test.ts")) {
    problems.push(`${folder}: files must hold dist and leave out src/**/*.test.ts`);
  }
  for (const target of publishedTargets(npm.exports)) {
    if (target !== "./package.json" && !target.startsWith("./dist/")) problems.push(`${folder}: export ${target} is not built (dist/)`);
  }
  return problems;
}

const root = join(import.meta.dir, "..");
const problems: string[] = [];
let checked = 0;

for (const denoPath of new Glob("{packages,apps}/*/deno.json").scanSync(root)) {
  const folder = dirname(denoPath);
  const deno = (await Bun.file(join(root, denoPath)).json()) as DenoJson;
  const npm = (await Bun.file(join(root, folder, "package.json")).json()) as PackageJson;
  checked += 1;
  if (deno.name !== npm.name) problems.push(`${folder}: deno.json name ${deno.name} != package.json name ${npm.name}`);
  if (deno.license !== npm.license) problems.push(`${folder}: deno.json license ${deno.license} != package.json license ${npm.license}`);
  if (npm.private !== true) problems.push(...publishProblems(folder, npm));
  if (deno.version !== npm.version) {
    problems.push(`${folder}: deno.json version ${deno.version} != package.json version ${npm.version}`);
  }
  const denoEntry = typeof deno.exports === "string" ? deno.exports : deno.exports?.["."];
  const mainExport = npm.exports?.["."];
  const sourceEntry =
    typeof mainExport === "object" && mainExport !== null
      ? (mainExport as Record<string, unknown>)["@events/source"]
      : undefined;
  if (denoEntry !== sourceEntry) {
    problems.push(`${folder}: deno.json exports ${denoEntry} != package.json exports["."]["@events/source"] ${String(sourceEntry)}`);
  }
}

if (!(await Bun.file(join(root, "LICENSE")).exists())) problems.push("no LICENSE at the repository root");

for (const problem of problems) console.error(problem);
console.log(`check-manifests: ${checked} packages, ${problems.length} mismatches`);
process.exit(problems.length === 0 ? 0 : 1);
