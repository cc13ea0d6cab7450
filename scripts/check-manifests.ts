// Checks that each package's package.json and deno.json agree: same name, same version,
// and Deno's export is the source entry Bun and tsc use ("@events/source").
// Usage: bun scripts/check-manifests.ts  (exit 1 and one line per mismatch)
import { Glob } from "bun";
import { dirname, join } from "node:path";

interface PackageJson {
  name?: string;
  version?: string;
  exports?: Record<string, unknown>;
}

interface DenoJson {
  name?: string;
  version?: string;
  exports?: string | Record<string, string>;
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

for (const problem of problems) console.error(problem);
console.log(`check-manifests: ${checked} packages, ${problems.length} mismatches`);
process.exit(problems.length === 0 ? 0 : 1);
