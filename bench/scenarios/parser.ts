/**
 * The parser scenario: `bench/parser.ts` run on Bun, Deno and Node, each in a process of its
 * own, on the mixed-text and the ASCII-only corpus; one table of the six runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fmt, ratio, verdict } from "../lib/stats.ts";
import type { ParserBenchResult } from "./parser-bench.ts";
import type { ReportContext, Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";

const REPO_DIR = resolve(import.meta.dir, "..", "..");
const ENTRY = join(REPO_DIR, "bench", "parser.ts");

type Runtime = "bun" | "deno" | "node";

/** The command that runs the entry on `runtime` (`nodeBundle`: the entry built for Node). */
function commandFor(runtime: Runtime, nodeBundle: string): string[] {
  if (runtime === "bun") return ["bun", ENTRY];
  if (runtime === "deno") return ["deno", "run", "-A", ENTRY];
  return ["node", nodeBundle];
}

/** Node 20 runs no TypeScript: the entry is bundled for it, with our packages from source. */
function buildForNode(dir: string): string {
  const outfile = join(dir, "parser-node.js");
  const build = Bun.spawnSync(["bun", "build", "--target", "node", "--conditions", "@events/source", ENTRY, "--outfile", outfile], {
    cwd: REPO_DIR,
    stdout: "ignore",
    stderr: "pipe",
  });
  if (build.exitCode !== 0) throw new Error(`bun build of bench/parser.ts for Node failed: ${build.stderr.toString().trim().split("\n").at(-1) ?? ""}`);
  return outfile;
}

/** A ratio in bold when it meets its target. */
function marked(value: number, target: number): string {
  return value >= target ? `**${ratio(value)}**` : ratio(value);
}

function label(result: ParserBenchResult): string {
  return `${result.runtime}, ${result.asciiOnly ? "ASCII only" : "mixed text"}`;
}

/** `parser`: once, after the server rounds. */
export class ParserScenario implements Scenario {
  readonly name = "parser";
  readonly section = "parser";
  readonly repeat = "once";
  readonly #results: ParserBenchResult[] = [];
  /** Runtimes not installed here, with why. */
  readonly #missing: string[] = [];

  async run(context: ScenarioContext): Promise<void> {
    context.log("parser: sse-core vs eventsource-parser on Bun, Deno and Node");
    const failures: string[] = [];
    const scratch = mkdtempSync(join(tmpdir(), "parser-bench-"));
    try {
      for (const runtime of ["bun", "deno", "node"] as const) {
        if (Bun.which(runtime) === null) {
          this.#missing.push(`${runtime} is not on PATH`);
          continue;
        }
        const nodeBundle = runtime === "node" ? buildForNode(scratch) : "";
        for (const ascii of [false, true]) {
          const args = ["--json", ...(context.quick ? ["--quick"] : []), ...(ascii ? ["--ascii"] : [])];
          const child = Bun.spawn([...commandFor(runtime, nodeBundle), ...args], { cwd: REPO_DIR, stdout: "pipe", stderr: "pipe" });
          const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
          if (code !== 0) {
            failures.push(`${runtime}${ascii ? " --ascii" : ""} exited ${code}: ${err.trim().split("\n").at(-1) ?? ""}`);
            continue;
          }
          const result = JSON.parse(out) as ParserBenchResult;
          context.log(`  ${label(result)}: ours ${fmt(result.ours.mbPerSecond)} MB/s, ${ratio(result.oursOverEventsourceParser)} eventsource-parser, ${ratio(result.oursOverDecodeFloor)} the decode floor`);
          this.#results.push(result);
        }
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    if (failures.length > 0) throw new Error(failures.join("; "));
  }

  report(_context: ReportContext): ScenarioReport | undefined {
    const first = this.#results[0];
    if (first === undefined) return undefined;
    const lines = [
      "### Throughput",
      "",
      "`@events/sse-core`'s `createParser` fed the raw bytes, against `eventsource-parser` fed through a streaming `TextDecoder`",
      "(how it reads a fetch body), and against a bare streaming `TextDecoder.decode` over the same chunks (the floor of any",
      `parser that decodes the whole stream). Corpus: ${fmt(first.corpusBytes / 1e6)} MB of generated frames (bench/scenarios/parser-corpus.ts;`,
      "payload words mixing ASCII with accented, CJK and emoji text, or ASCII only), fed in",
      `${first.chunkBytes / 1024} KiB chunks; all contenders must see the same event count. MB/s of CPU time (user + system of the`,
      `process), median of ${first.rounds} measured rounds in rotating blocks per contender, each block after unmeasured rounds.`,
      "The last column is decode plus one `indexOf` pass for LF and one for CR and nothing else: what the cheapest exact line",
      "splitting costs before any field is read.",
      "",
      "| runtime, corpus | ours MB/s | eventsource-parser MB/s | decode floor MB/s (slowest-fastest round) | ours / e-p | ours / floor | decode + LF and CR passes / floor |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ];
    for (const result of this.#results) {
      const [slowest, fastest] = result.decodeFloor.mbPerSecondRange;
      lines.push(
        `| ${label(result)} | ${fmt(result.ours.mbPerSecond)} | ${fmt(result.eventsourceParser.mbPerSecond)} | ` +
          `${fmt(result.decodeFloor.mbPerSecond)} (${fmt(slowest)}-${fmt(fastest)}) | ${marked(result.oursOverEventsourceParser, 1)} | ` +
          `${marked(result.oursOverDecodeFloor, 0.7)} | ${ratio(result.decodeAndFindLineEnds.mbPerSecond / result.decodeFloor.mbPerSecond)} |`,
      );
    }
    for (const reason of this.#missing) lines.push("", `Not measured: ${reason}.`);
    const each = (pick: (result: ParserBenchResult) => number): string => this.#results.map((r) => `${label(r)}: ${ratio(pick(r))}`).join("; ");
    const targets = [
      `Parser ≥ 1.0× eventsource-parser on every runtime and corpus: ${verdict(this.#results.every((r) => r.oursOverEventsourceParser >= 1))} (${each((r) => r.oursOverEventsourceParser)})`,
      `Parser ≥ 0.7× the decode floor on every runtime and corpus: ${verdict(this.#results.every((r) => r.oursOverDecodeFloor >= 0.7))} (${each((r) => r.oursOverDecodeFloor)})`,
    ];
    return { lines, targets };
  }
}
