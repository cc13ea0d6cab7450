// Packs one public package the way it would be published: `bun pm pack` (which picks the
// files from `files` and turns `workspace:*` into the exact version), then the manifest
// rewritten by `publishManifest` and the root LICENSE added, then `npm pack` of that folder.
// `npm publish <tarball>` publishes exactly what was checked.
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { PublicPackage } from "./packages.ts";
import { publishManifest } from "./publish-manifest.ts";
import { runOrThrow } from "./run.ts";

/** A file that must never be in a tarball: tests, test support, build configuration. */
const FORBIDDEN = /(^|\/)(test|tests|test-support|dist-test)\/|\.test(-d)?\.ts$|(^|\/)tsconfig[^/]*\.json$|(^|\/)deno\.json$/;

export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the tarball. */
  readonly tarball: string;
  readonly bytes: number;
  readonly files: readonly string[];
}

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

/** Packs `pkg` into `outDir`, staging in `workDir`. Throws when the tarball would hold something private. */
export async function packPackage(pkg: PublicPackage, root: string, workDir: string, outDir: string): Promise<PackedPackage> {
  const slug = pkg.name.replace(/^@/, "").replace("/", "-");
  const bunOut = join(workDir, `${slug}-bun`);
  const stage = join(workDir, slug);
  rmSync(bunOut, { recursive: true, force: true });
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(bunOut, { recursive: true });
  mkdirSync(stage, { recursive: true });
  runOrThrow(["bun", "pm", "pack", "--destination", bunOut, "--quiet"], { cwd: pkg.dir });
  const [bunTarball] = readdirSync(bunOut).filter((file) => file.endsWith(".tgz"));
  if (bunTarball === undefined) throw new Error(`${pkg.name}: bun pm pack wrote no tarball`);
  runOrThrow(["tar", "xzf", join(bunOut, bunTarball), "-C", stage, "--strip-components=1"], { cwd: workDir });

  const manifestPath = join(stage, "package.json");
  const manifest = publishManifest((await Bun.file(manifestPath).json()) as Parameters<typeof publishManifest>[0]);
  await Bun.write(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  copyFileSync(join(root, "LICENSE"), join(stage, "LICENSE"));

  const files = listFiles(stage).sort();
  const forbidden = files.filter((file) => FORBIDDEN.test(file));
  if (forbidden.length > 0) throw new Error(`${pkg.name}: the tarball would hold ${forbidden.join(", ")}`);
  if (!files.some((file) => file.startsWith("dist/") && file.endsWith(".d.ts"))) throw new Error(`${pkg.name}: no dist/*.d.ts (built?)`);

  const packed = runOrThrow(["npm", "pack", "--json", "--pack-destination", outDir], { cwd: stage });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  const tarball = join(outDir, filename);
  return { name: pkg.name, version: pkg.version, tarball, bytes: statSync(tarball).size, files };
}
