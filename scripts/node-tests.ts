// Runs a package's unit tests on Node against its built dist/ output.
//
// Usage (from a package folder): bun ../../scripts/node-tests.ts [src-dir]
// Each `*.test.ts` is bundled for Node with `vitest` mapped to tools/test-shim/node.ts
// and every relative import of package source (`./x.ts`) mapped to the built
// `dist/x.js`, so Node exercises exactly what npm users get.
import { Glob } from "bun";
import { existsSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const packageDir = process.cwd();
const sourceDir = resolve(packageDir, process.argv[2] ?? "src");
const distDir = resolve(packageDir, "dist");
const outDir = resolve(packageDir, "dist-test");
const shimPath = resolve(import.meta.dir, "../tools/test-shim/node.ts");

if (!existsSync(distDir)) {
  console.error(`node-tests: ${distDir} is missing; run the package's build first`);
  process.exit(1);
}
rmSync(outDir, { recursive: true, force: true });

const entrypoints = [...new Glob("**/*.test.ts").scanSync(sourceDir)]
  .filter((file) => !file.includes(".bun.") && !file.includes(".deno."))
  .map((file) => join(sourceDir, file));

const result = await Bun.build({
  entrypoints,
  outdir: outDir,
  root: sourceDir,
  target: "node",
  format: "esm",
  naming: "[dir]/[name].mjs",
  plugins: [
    {
      name: "node-test-wiring",
      setup(build) {
        build.onResolve({ filter: /^vitest$/ }, () => ({ path: shimPath }));
        build.onResolve({ filter: /^\.\.?\/.*\.ts$/ }, (args) => {
          const absolute = resolve(dirname(args.importer), args.path);
          if (absolute.endsWith(".test.ts") || !absolute.startsWith(sourceDir)) return undefined;
          if (absolute.includes("/test-support/")) return undefined;
          const built = join(distDir, relative(sourceDir, absolute)).replace(/\.ts$/, ".js");
          return { path: built, external: true };
        });
      },
    },
  ],
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}

const files = result.outputs.map((output) => output.path).filter((path) => path.endsWith(".test.mjs"));
const child = Bun.spawn(["node", "--expose-gc", "--test", "--test-reporter=tap", ...files], {
  stdio: ["inherit", "pipe", "inherit"],
});
// Print only the TAP summary and failures: the full TAP tree is noise in CI logs.
const output = await new Response(child.stdout).text();
const lines = output.split("\n");
for (const [index, line] of lines.entries()) {
  if (/^\s*not ok /.test(line)) console.log(lines.slice(index, index + 20).join("\n"));
  if (/^# (tests|suites|pass|fail|skipped|cancelled|todo|duration_ms) /.test(line)) console.log(line);
}
process.exit(await child.exited);
