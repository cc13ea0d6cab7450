// Runs a package's tests on Deno: `bun ../../scripts/deno-tests.ts <paths...>` from a package.
// Without `deno` on PATH the run is skipped with a clear message, unless REQUIRE_DENO=1
// (CI sets it), in which case a missing Deno fails the run.
const denoPath = Bun.which("deno");
if (denoPath === null) {
  if (process.env["REQUIRE_DENO"] === "1") {
    console.error("deno-tests: REQUIRE_DENO=1 but `deno` is not on PATH (npm install -g deno)");
    process.exit(1);
  }
  console.warn("deno-tests: skipping the Deno run: `deno` is not on PATH (npm install -g deno; REQUIRE_DENO=1 makes this fail)");
  process.exit(0);
}
const child = Bun.spawn(
  [denoPath, "test", "-A", "--v8-flags=--expose-gc", "--config", "../../deno.json", ...process.argv.slice(2)],
  { stdio: ["inherit", "inherit", "inherit"], env: { ...process.env, NO_COLOR: "1" } },
);
process.exit(await child.exited);
