// The public packages of the workspace: every packages/* manifest that is not private.
import { Glob } from "bun";
import { dirname, join } from "node:path";

export interface PublicPackage {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the package folder. */
  readonly dir: string;
  /** `true` when the package has a deno.json (then it is checked with `deno publish --dry-run`). */
  readonly hasDenoJson: boolean;
}

/** Lists the public packages under `root/packages`, sorted by name. */
export async function publicPackages(root: string): Promise<PublicPackage[]> {
  const found: PublicPackage[] = [];
  for (const path of new Glob("packages/*/package.json").scanSync(root)) {
    const manifest = (await Bun.file(join(root, path)).json()) as { name: string; version: string; private?: boolean };
    if (manifest.private === true) continue;
    const dir = join(root, dirname(path));
    found.push({ name: manifest.name, version: manifest.version, dir, hasDenoJson: await Bun.file(join(dir, "deno.json")).exists() });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
