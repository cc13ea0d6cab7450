// The published declarations (dist/*.d.ts) must type-check for an npm user: every package
// they import is a dependency of this package (never a devDependency such as the private
// @events/server), every relative import names a declaration file that ships, and no Eden
// or Elysia type is part of the public surface.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "./test-support/server-process.ts";

interface Manifest {
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

/** Every module a declaration file refers to: import/export ... from, import("..."), `import "..."`, `/// <reference types>`. */
function referencedModules(code: string): string[] {
  const patterns = [
    /(?:^|[;\s])(?:import|export)\b[^'";]*?\bfrom\s*["']([^"']+)["']/gm,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /(?:^|[;\s])import\s*["']([^"']+)["']/gm,
    /\/\/\/\s*<reference\s+types\s*=\s*["']([^"']+)["']/g,
  ];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1] ?? ""));
}

/** The code of a declaration file without its comments (JSDoc may name anything), keeping `///` directives. */
function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/(?!\/).*$/gm, "");
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

/** The problems of one declaration file: packages that are not dependencies, relative imports that do not ship. */
function problemsOf(code: string, file: string, dependencies: ReadonlySet<string>, shipped: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const specifier of referencedModules(withoutComments(code))) {
    if (specifier.startsWith(".")) {
      const target = specifier.replace(/^\.\//, "").replace(/\.(?:d\.ts|ts|js)$/, "");
      if (!shipped.has(target)) problems.push(`${file}: ${specifier} is not a shipped declaration file`);
    } else if (!dependencies.has(packageName(specifier))) {
      problems.push(`${file}: ${specifier} is not a dependency of @events/client-sdk`);
    }
  }
  return problems;
}

describe("the published declarations", () => {
  test("the check flags a private package, a devDependency and a missing file", () => {
    const code = 'import type { App } from "@events/server";\nexport type X = import("elysia").Context;\nexport * from "./gone.ts";';
    expect(problemsOf(code, "x.d.ts", new Set(["@events/contract"]), new Set(["index"]))).toEqual([
      "x.d.ts: @events/server is not a dependency of @events/client-sdk",
      "x.d.ts: ./gone.ts is not a shipped declaration file",
      "x.d.ts: elysia is not a dependency of @events/client-sdk",
    ]);
  });

  test("import only the SDK's dependencies and its own shipped files", () => {
    const packageDir = join(repoRoot(), "packages", "client-sdk");
    const dist = join(packageDir, "dist");
    expect(existsSync(join(dist, "index.d.ts"))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as Manifest;
    const dependencies = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const files = readdirSync(dist).filter((file) => file.endsWith(".d.ts"));
    expect(files.length).toBeGreaterThan(5);
    const shipped = new Set(files.map((file) => file.replace(/\.d\.ts$/, "")));
    const problems = files.flatMap((file) => problemsOf(readFileSync(join(dist, file), "utf8"), file, dependencies, shipped));
    expect(problems).toEqual([]);
  });

  // `App` is a type parameter the user fills with their own app's type: the declarations read
  // its route tree structurally and name no Elysia, Eden or server type themselves.
  test("expose no Eden, Elysia or server type", () => {
    const dist = join(repoRoot(), "packages", "client-sdk", "dist");
    for (const file of readdirSync(dist).filter((name) => name.endsWith(".d.ts"))) {
      const code = withoutComments(readFileSync(join(dist, file), "utf8"));
      expect({ file, eden: /@elysiajs\/eden|["']elysia["']|@events\/server|\bTreaty\b|\bElysia\b/.test(code) }).toEqual({ file, eden: false });
    }
  });
});
