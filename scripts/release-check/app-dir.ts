// A throwaway app folder whose package.json depends on the packed tarballs (and pins every
// nested @events/* dependency to them with `overrides`, so nothing of ours comes from a registry).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { PackedPackage } from "./pack.ts";

/** Writes `files` (name → text) and a package.json into `dir`, which it creates. */
export async function writeApp(
  dir: string,
  packed: readonly PackedPackage[],
  files: Readonly<Record<string, string>>,
  devDependencies: Readonly<Record<string, string>> = {},
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const ours = Object.fromEntries(packed.map((pkg) => [pkg.name, `file:${pkg.tarball}`]));
  const manifest = {
    name: `release-check-${dir.split("/").pop() ?? "app"}`,
    private: true,
    type: "module",
    dependencies: ours,
    devDependencies,
    overrides: ours,
  };
  await Bun.write(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [name, text] of Object.entries(files)) await Bun.write(join(dir, name), text);
}

/** Checks that each installed @events/* package is the packed one (same manifest), not a registry's. */
export async function checkInstalled(dir: string, packed: readonly PackedPackage[]): Promise<void> {
  for (const pkg of packed) {
    const installed = Bun.file(join(dir, "node_modules", pkg.name, "package.json"));
    if (!(await installed.exists())) throw new Error(`${pkg.name} is not installed in ${dir}`);
    const manifest = (await installed.json()) as { version?: string; exports?: unknown };
    if (manifest.version !== pkg.version || JSON.stringify(manifest.exports).includes("src/")) {
      throw new Error(`${dir}: node_modules/${pkg.name} is not the packed tarball`);
    }
    const nested = Bun.file(join(dir, "node_modules", "@events", "client-sdk", "node_modules", pkg.name, "package.json"));
    if (await nested.exists()) throw new Error(`${dir}: a second copy of ${pkg.name} was installed under client-sdk`);
  }
}
