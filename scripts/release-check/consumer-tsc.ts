// A consumer's type check: `tsc` (the app's own TypeScript) with strict options and
// skipLibCheck off. Errors are sorted by where they are: in the app or in our packages' .d.ts
// (a failure), or in another library's .d.ts (counted: Elysia's own declarations do not pass
// skipLibCheck: false, and a typed App brings them in).
import { join } from "node:path";
import { run } from "./run.ts";

export interface TscReport {
  /** Errors in the app's files or in node_modules/@events/*: each fails the check. */
  readonly ours: readonly string[];
  /** Errors per other library (package name → count). */
  readonly thirdParty: Readonly<Record<string, number>>;
}

/** A consumer tsconfig over `files`: strict, skipLibCheck false, the given resolution. */
export function consumerTsconfig(resolution: "NodeNext" | "Bundler", files: readonly string[], outDir?: string): string {
  const compilerOptions = {
    strict: true,
    skipLibCheck: false,
    target: "ES2022",
    module: resolution === "NodeNext" ? "NodeNext" : "ESNext",
    moduleResolution: resolution,
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    types: ["node"],
    ...(outDir === undefined ? { noEmit: true } : { outDir }),
  };
  return `${JSON.stringify({ compilerOptions, files }, null, 2)}\n`;
}

const ERROR_LINE = /^(\S[^(]*)\(\d+,\d+\): error TS\d+/;

/** Runs the app's tsc on `project` in `dir` and sorts its errors. */
export function consumerTsc(dir: string, project: string): TscReport {
  const result = run(["node", join(dir, "node_modules", ".bin", "tsc"), "-p", project], { cwd: dir, timeoutMs: 120_000 });
  const ours: string[] = [];
  const thirdParty: Record<string, number> = {};
  for (const line of result.stdout.split("\n")) {
    const file = ERROR_LINE.exec(line)?.[1];
    if (file === undefined) continue;
    const library = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];
    if (library === undefined || library.startsWith("@events/")) ours.push(line);
    else thirdParty[library] = (thirdParty[library] ?? 0) + 1;
  }
  if (!result.ok && ours.length === 0 && Object.keys(thirdParty).length === 0) ours.push(result.output.trim());
  return { ours, thirdParty };
}

/** One summary line, or throws listing our errors. */
export function describeTsc(label: string, report: TscReport, thirdPartyAllowed: boolean): string {
  const others = Object.entries(report.thirdParty);
  if (report.ours.length > 0 || (!thirdPartyAllowed && others.length > 0)) {
    const lines = [...report.ours, ...others.map(([library, count]) => `${count} errors in ${library}'s .d.ts`)];
    throw new Error(`tsc ${label}:\n${lines.join("\n")}`);
  }
  const tolerated = others.map(([library, count]) => `${count} in ${library}'s own .d.ts`).join(", ");
  return `tsc ${label}: the app and our .d.ts clean${others.length === 0 ? "" : ` (tolerated: ${tolerated})`}`;
}
