// The throwaway consumer apps: each installs the tarballs, type-checks or runs the smoke
// program against the live server, and reports what it saw.
import { join } from "node:path";
import { checkInstalled, writeApp } from "./app-dir.ts";
import { checkBrowserBundle } from "./browser-bundle.ts";
import type { PackedPackage } from "./pack.ts";
import { runOrThrow } from "./run.ts";
import { clientOnlySource, smokeSource } from "./smoke-source.ts";
import { consumerTsc, consumerTsconfig, describeTsc } from "./consumer-tsc.ts";

/** What one app reported. */
export interface AppReport {
  readonly lines: readonly string[];
}

const NPM_INSTALL = ["npm", "install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];

/**
 * Node 20, ESM, with @types/node and TypeScript 5.9: `tsc --strict` (skipLibCheck false) with
 * NodeNext and with Bundler resolution over a client-only consumer (clean) and the typed smoke
 * program (clean in our .d.ts; Elysia's own are counted), then the smoke program run by Node.
 */
export async function nodeApp(dir: string, packed: readonly PackedPackage[], baseUrl: string): Promise<AppReport> {
  await writeApp(
    dir,
    packed,
    {
      "main.ts": smokeSource("node", baseUrl),
      "client-only.ts": clientOnlySource(),
      "tsconfig.json": consumerTsconfig("NodeNext", ["main.ts"], "out"),
      "tsconfig.bundler.json": consumerTsconfig("Bundler", ["main.ts"]),
      "tsconfig.client.json": consumerTsconfig("NodeNext", ["client-only.ts"]),
      "tsconfig.client-bundler.json": consumerTsconfig("Bundler", ["client-only.ts"]),
    },
    { typescript: "5.9.3", "@types/node": "20" },
  );
  runOrThrow(NPM_INSTALL, { cwd: dir, timeoutMs: 120_000 });
  await checkInstalled(dir, packed);
  const lines = [
    describeTsc("NodeNext, client-only", consumerTsc(dir, "tsconfig.client.json"), false),
    describeTsc("Bundler, client-only", consumerTsc(dir, "tsconfig.client-bundler.json"), false),
    describeTsc("NodeNext, typed App", consumerTsc(dir, "tsconfig.json"), true),
    describeTsc("Bundler, typed App", consumerTsc(dir, "tsconfig.bundler.json"), true),
  ];
  const ran = runOrThrow(["node", "out/main.js"], { cwd: dir, timeoutMs: 30_000 });
  return { lines: [...lines, ran.stdout.trim()] };
}

/** Deno over the npm-installed tarballs (nodeModulesDir manual), type-checked by `deno run --check`. */
export async function denoApp(dir: string, packed: readonly PackedPackage[], baseUrl: string): Promise<AppReport> {
  await writeApp(dir, packed, {
    "main.ts": smokeSource("deno", baseUrl),
    "deno.json": `${JSON.stringify({ nodeModulesDir: "manual", lock: false }, null, 2)}\n`,
  });
  runOrThrow(NPM_INSTALL, { cwd: dir, timeoutMs: 120_000 });
  await checkInstalled(dir, packed);
  const ran = runOrThrow(["deno", "run", "--check", "--allow-net", "--allow-env", "--allow-read", "--allow-sys", "main.ts"], {
    cwd: dir,
    timeoutMs: 60_000,
  });
  return { lines: ["deno run --check: no errors", ran.stdout.trim()] };
}

/** Bun: `bun install` of the tarballs, the smoke run, then the browser bundle from the same install. */
export async function bunApp(dir: string, packed: readonly PackedPackage[], baseUrl: string): Promise<AppReport> {
  await writeApp(dir, packed, { "main.ts": smokeSource("bun", baseUrl), "browser.ts": smokeSource("browser", baseUrl) });
  runOrThrow(["bun", "install", "--no-save"], { cwd: dir, timeoutMs: 120_000 });
  await checkInstalled(dir, packed);
  const ran = runOrThrow(["bun", "main.ts"], { cwd: dir, timeoutMs: 30_000 });
  return { lines: [ran.stdout.trim()] };
}

/** The browser bundle of the Bun app (`bun build --minify --target browser`), checked and then run by Node. */
export async function browserBundle(dir: string): Promise<AppReport> {
  const bundle = checkBrowserBundle(dir, "browser.ts");
  const ran = runOrThrow(["node", bundle.file], { cwd: dir, timeoutMs: 30_000 });
  return { lines: [bundle.summary, `${ran.stdout.trim()} (the bundle run by Node)`] };
}
