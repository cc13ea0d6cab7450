/**
 * Command-line flags of the bench scripts, read with `node:util`'s `parseArgs` (Bun, Deno and
 * Node alike): an unknown flag or a bad value stops the script with a message instead of being
 * ignored.
 */
import { parseArgs } from "node:util";

/** The flags a script accepts: `"boolean"` for `--name`, `"string"` for `--name value`. */
export type FlagSpec = Readonly<Record<string, "boolean" | "string">>;

/** The flags given, by name (absent when not given). */
export type Flags<S extends FlagSpec> = { readonly [K in keyof S]?: S[K] extends "boolean" ? boolean : string };

/**
 * Reads `args` (default: this process's arguments) against `spec`.
 *
 * @example
 * const flags = parseFlags({ quick: "boolean", rounds: "string" });
 * const rounds = integerFlag("rounds", flags.rounds, 3);
 */
export function parseFlags<const S extends FlagSpec>(spec: S, args: readonly string[] = process.argv.slice(2)): Flags<S> {
  const options = Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, { type }]));
  return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values as Flags<S>;
}

/** `value` as a positive integer; `fallback` when the flag was not given. */
export function integerFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer (got "${value}")`);
  return parsed;
}

/** A comma-separated list of names from `allowed`; all of them, in their order, when the flag was not given. */
export function listFlag<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T[] {
  if (value === undefined) return [...allowed];
  const given = value.split(",").map((item) => item.trim());
  const unknown = given.filter((item) => !(allowed as readonly string[]).includes(item));
  if (unknown.length > 0) throw new Error(`--${name}: unknown ${unknown.map((item) => `"${item}"`).join(", ")} (choose from ${allowed.join(", ")})`);
  return allowed.filter((item) => given.includes(item));
}

/**
 * Runs `read` (the script's flag parsing); on a bad flag, prints the reason and `usage` to
 * stderr and exits with status 2 instead of a stack trace.
 */
export function readFlagsOrExit<T>(usage: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\nusage: ${usage}\n`);
    process.exit(2);
  }
}
