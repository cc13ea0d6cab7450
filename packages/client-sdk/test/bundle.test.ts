// The built package must not pull server code (Elysia, the server's modules) into a
// client bundle: the server is a type-only dependency.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "./test-support/server-process.ts";

const ALLOWED = ["@events/sse-core", "@elysiajs/eden/treaty2"];

function importsOf(code: string): string[] {
  return [...code.matchAll(/(?:^|[;\s])(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|(?:^|[;\s])import\s*["']([^"']+)["']/gm)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? "",
  );
}

describe("the built package", () => {
  const dist = join(repoRoot(), "packages", "client-sdk", "dist");

  test("imports only sse-core and Eden's treaty at run time", () => {
    expect(existsSync(join(dist, "index.js"))).toBe(true);
    const files = readdirSync(dist).filter((file) => file.endsWith(".js"));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const code = readFileSync(join(dist, file), "utf8");
      for (const specifier of importsOf(code)) {
        if (specifier.startsWith("./")) continue;
        expect({ file, specifier, allowed: ALLOWED.includes(specifier) }).toEqual({ file, specifier, allowed: true });
      }
      expect(code).not.toMatch(/@events\/server|from\s*["']elysia["']/);
    }
  });

  test("uses an Eden entry that loads no Elysia code", () => {
    const eden = join(repoRoot(), "node_modules", "@elysiajs", "eden", "dist");
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of importsOf(readFileSync(file, "utf8"))) {
        expect(specifier.startsWith("./")).toBe(true);
        visit(resolve(dirname(file), specifier));
      }
    };
    visit(join(eden, "treaty2.mjs"));
    expect(seen.size).toBeGreaterThan(1);
  });
});
