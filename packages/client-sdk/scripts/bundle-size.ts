// `bun run size`: the minified and gzipped size of a browser bundle of each SDK consumer in
// test/fixtures (the figures in the README come from here).
import { join } from "node:path";
import { bundleForBrowser } from "../test/test-support/bundle.ts";

const repoRoot = join(import.meta.dir, "..", "..", "..");
for (const consumer of ["typed-consumer.ts", "sse-consumer.ts"]) {
  const report = bundleForBrowser(repoRoot, join("packages", "client-sdk", "test", "fixtures", consumer));
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(`${consumer}: ${kib(report.minifiedBytes)} minified, ${kib(report.gzippedBytes)} gzipped (${report.inputs.length} modules)`);
}
