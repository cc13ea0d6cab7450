// The manifest a package is published with, from the one `bun pm pack` wrote: the
// workspace-only export conditions removed (so every consumer, Bun included, resolves to
// dist), and the workspace's scripts and devDependencies dropped. `publishConfig` cannot do
// this: npm does not honour `publishConfig.exports`. Throws when something private remains.

/** Export conditions that point at TypeScript sources inside this workspace only. */
export const PRIVATE_CONDITIONS: readonly string[] = ["@events/source", "bun"];

/** The fields every public manifest must carry. */
export const REQUIRED_FIELDS: readonly string[] = ["license", "repository", "engines", "files", "sideEffects", "exports"];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Manifest = { [key: string]: Json };

function stripConditions(value: Json): Json {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const kept: { [key: string]: Json } = {};
  for (const [key, inner] of Object.entries(value)) {
    if (!PRIVATE_CONDITIONS.includes(key)) kept[key] = stripConditions(inner);
  }
  return kept;
}

/** Every export target, for the checks below (conditions flattened). */
function exportTargets(value: Json): string[] {
  if (typeof value === "string") return [value];
  if (value === null || typeof value !== "object") return [];
  return (Array.isArray(value) ? value : Object.values(value)).flatMap(exportTargets);
}

/** Rewrites a packed manifest for publishing; throws listing every problem left. */
export function publishManifest(packed: Manifest): Manifest {
  const { scripts: _scripts, devDependencies: _devDependencies, ...kept } = packed;
  const manifest: Manifest = { ...kept, exports: stripConditions(packed["exports"] ?? null) };
  const problems: string[] = [];
  const text = JSON.stringify(manifest);
  if (text.includes("workspace:")) problems.push("a workspace: specifier is left");
  if (manifest["private"] === true) problems.push("it is private");
  for (const field of REQUIRED_FIELDS) if (manifest[field] === undefined) problems.push(`no "${field}"`);
  for (const target of exportTargets(manifest["exports"] ?? null)) {
    if (target !== "./package.json" && !target.startsWith("./dist/")) problems.push(`export ${target} is outside dist/`);
  }
  if (problems.length > 0) throw new Error(`${String(packed["name"])}: ${problems.join("; ")}`);
  return manifest;
}
