// What a client ships: no Elysia, TypeBox, Eden, server or contract code in a consumer's
// bundle (the App and the contract are types only), and the untyped client working where
// none of them is installed.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { bundleForBrowser, serverSideInputs } from "./test-support/bundle.ts";
import { repoRoot } from "./test-support/server-process.ts";

function importsOf(code: string): string[] {
  return [...code.matchAll(/(?:^|[;\s])(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|(?:^|[;\s])import\s*["']([^"']+)["']/gm)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? "",
  );
}

const fixture = (name: string): string => join("packages", "client-sdk", "test", "fixtures", name);

describe("a consumer's browser bundle", () => {
  test("of the typed client, with the server's App type, holds no Elysia, TypeBox, Eden, server or contract code", () => {
    const report = bundleForBrowser(repoRoot(), fixture("typed-consumer.ts"));
    expect(report.inputs).toContain("packages/client-sdk/src/client.ts");
    expect(serverSideInputs(report.inputs)).toEqual([]);
    expect(report.code).not.toMatch(/TypeBox|elysia|treaty/i);
    // A budget, so a heavy import shows up here: see `bun run size` for the figures in the README.
    expect(report.gzippedBytes).toBeLessThan(12 * 1024);
  }, 60_000);

  test("of the untyped client's own entry holds only its connection code and sse-core's parser", () => {
    const report = bundleForBrowser(repoRoot(), fixture("sse-consumer.ts"));
    const sdkFiles = report.inputs.filter((input) => input.startsWith("packages/client-sdk/src/")).map((input) => input.slice("packages/client-sdk/src/".length));
    expect(sdkFiles).toContain("sse-client.ts");
    for (const typedOnly of ["client.ts", "publish.ts", "trigger.ts", "post-json.ts", "options.ts", "event-reader.ts"]) expect(sdkFiles).not.toContain(typedOnly);
    const others = report.inputs.filter((input) => !input.startsWith("packages/client-sdk/") && !input.startsWith("packages/sse-core/src/"));
    expect(others).toEqual([]);
    expect(report.gzippedBytes).toBeLessThan(8 * 1024);
  }, 60_000);

  test("the check flags server-side inputs", () => {
    expect(serverSideInputs(["node_modules/elysia/dist/index.mjs", "node_modules/@sinclair/typebox/build/esm/index.mjs", "packages/server/src/app.ts", "packages/sse-core/src/parse.ts"])).toEqual([
      "node_modules/elysia/dist/index.mjs",
      "node_modules/@sinclair/typebox/build/esm/index.mjs",
      "packages/server/src/app.ts",
    ]);
  });
});

describe("the built package", () => {
  const dist = join(repoRoot(), "packages", "client-sdk", "dist");

  test("imports only sse-core at run time", () => {
    expect(existsSync(join(dist, "index.js"))).toBe(true);
    const files = readdirSync(dist).filter((file) => file.endsWith(".js"));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      // JSDoc examples may show imports; only code counts.
      const code = readFileSync(join(dist, file), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
      for (const specifier of importsOf(code)) {
        if (specifier.startsWith("./")) continue;
        expect({ file, specifier }).toEqual({ file, specifier: "@events/sse-core" });
      }
    }
  });

  test("runs both entries where only sse-core is installed (no Elysia, TypeBox or Eden)", () => {
    const sandbox = mkdtempSync(join(tmpdir(), "sdk-alone-"));
    try {
      for (const name of ["client-sdk", "sse-core"]) {
        const target = join(sandbox, "node_modules", "@events", name);
        mkdirSync(target, { recursive: true });
        cpSync(join(repoRoot(), "packages", name, "dist"), join(target, "dist"), { recursive: true });
        cpSync(join(repoRoot(), "packages", name, "package.json"), join(target, "package.json"));
      }
      const script = [
        'import { createSseClient } from "@events/client-sdk/sse";',
        'import { createEventsClient } from "@events/client-sdk";',
        'const fetch = async () => new Response("id: 1\\nevent: tick\\ndata: {\\"n\\":1}\\n\\n", { headers: { "content-type": "text/event-stream" } });',
        'for await (const event of createSseClient("http://feed.test/", { fetch })) { console.log(JSON.stringify(event)); break; }',
        'for await (const event of createEventsClient("http://feed.test", { fetch }).stream()) { console.log(JSON.stringify(event)); break; }',
      ].join("\n");
      writeFileSync(join(sandbox, "main.mjs"), script);
      const result = spawnSync("node", ["main.mjs"], { cwd: sandbox, encoding: "utf8", timeout: 30_000 });
      expect(result.stderr).toBe("");
      expect(result.stdout.trim().split("\n")).toEqual([
        '{"type":"tick","data":"{\\"n\\":1}","id":"1"}',
        '{"type":"tick","data":{"n":1},"id":"1","topic":"events"}',
      ]);
    } finally {
      rmSync(sandbox, { recursive: true, force: true });
    }
  }, 60_000);
});
