/**
 * Start-up time and size of the compiled `events-cli`, against peers that also start a
 * JavaScript runtime: `bun --version`, `node -e 0`, and the CLI run from source by Bun.
 * Like hyperfine: a few warm-up runs, then N timed runs of each command (spawn to exit),
 * reporting the median and the spread. Also run alone by `bun bench/cli.ts [--quick]`.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { percentile } from "../lib/stats.ts";
import type { Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";

const REPO_DIR = resolve(import.meta.dir, "..", "..");
const CLI_DIR = resolve(REPO_DIR, "apps/cli");
const BINARY = resolve(CLI_DIR, "dist/events-cli");

/** Options of {@link runCliBench}. */
export interface CliBenchOptions {
  /** Fewer runs (for a smoke check in CI), less precise. @default false */
  readonly quick?: boolean;
}

/** Timing of one command over its runs, in milliseconds. */
export interface CommandTiming {
  readonly name: string;
  readonly command: readonly string[];
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly p90Ms: number;
}

/** What {@link runCliBench} measured. */
export interface CliBenchResult {
  readonly binaryBytes: number;
  readonly binaryMb: number;
  readonly timings: readonly CommandTiming[];
  /** The results as a Markdown table, ready for bench/RESULTS.md. */
  readonly markdown: string;
}

function ensureBinary(): void {
  const build = Bun.spawnSync(["bun", "scripts/build.ts", "--if-stale"], { cwd: CLI_DIR, stdout: "ignore", stderr: "inherit" });
  if (build.exitCode !== 0 || !existsSync(BINARY)) throw new Error(`could not build ${BINARY}`);
}

/** The same CLI compiled without `--bytecode`, to show what the flag buys at start-up. */
function buildPlainVariant(dir: string): string {
  const outfile = join(dir, "events-cli-plain");
  const build = Bun.spawnSync(["bun", "build", "--compile", "--minify", resolve(CLI_DIR, "src/main.ts"), "--outfile", outfile], {
    cwd: CLI_DIR,
    stdout: "ignore",
    stderr: "inherit",
  });
  if (build.exitCode !== 0) throw new Error("could not build the plain variant");
  return outfile;
}

function runOnce(command: readonly string[]): number {
  const started = performance.now();
  const result = Bun.spawnSync([...command], { cwd: REPO_DIR, stdout: "ignore", stderr: "ignore", env: { PATH: process.env.PATH ?? "" } });
  const elapsed = performance.now() - started;
  if (result.exitCode !== 0) throw new Error(`${command.join(" ")} exited with ${result.exitCode}`);
  return elapsed;
}

/**
 * Times every command `runs` times, round-robin (one run of each in turn), so a burst of
 * load from other processes on a shared machine hits all of them alike.
 */
function timeCommands(commands: ReadonlyArray<readonly [string, readonly string[]]>, warmups: number, runs: number): CommandTiming[] {
  const samples = commands.map(() => [] as number[]);
  for (let round = 0; round < warmups + runs; round++) {
    commands.forEach(([, command], index) => {
      const elapsed = runOnce(command);
      if (round >= warmups) samples[index]?.push(elapsed);
    });
  }
  return commands.map(([name, command], index) => {
    const sorted = (samples[index] ?? []).sort((a, b) => a - b);
    return { name, command, runs, medianMs: percentile(sorted, 0.5), minMs: sorted[0] ?? Number.NaN, p90Ms: percentile(sorted, 0.9) };
  });
}

/**
 * Measures the compiled CLI's size and the median start-up of `events-cli --version`
 * against `bun --version`, `node -e 0` and `bun apps/cli/src/main.ts --version`.
 *
 * @example
 * const { markdown } = await runCliBench({ quick: true });
 */
export async function runCliBench(options: CliBenchOptions = {}): Promise<CliBenchResult> {
  ensureBinary();
  const runs = options.quick === true ? 10 : 60;
  const warmups = options.quick === true ? 2 : 5;
  const scratch = mkdtempSync(join(tmpdir(), "cli-bench-"));
  let timings: CommandTiming[];
  try {
    const plain = buildPlainVariant(scratch);
    const peers: Array<[string, string[]]> = [
      ["events-cli --version (compiled, --bytecode)", [BINARY, "--version"]],
      ["events-cli --version (compiled, no --bytecode)", [plain, "--version"]],
      ["bun apps/cli/src/main.ts --version (source)", ["bun", resolve(CLI_DIR, "src/main.ts"), "--version"]],
      ["bun -e 0", ["bun", "-e", "0"]],
      ["node -e 0", ["node", "-e", "0"]],
      ["bun --version (no JS runtime)", ["bun", "--version"]],
    ];
    timings = timeCommands(peers, warmups, runs);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const binaryBytes = statSync(BINARY).size;
  const binaryMb = binaryBytes / 1024 / 1024;
  const rows = timings.map((t) => `| ${t.name} | ${t.medianMs.toFixed(1)} | ${t.minMs.toFixed(1)} | ${t.p90Ms.toFixed(1)} |`);
  const markdown = [
    `Binary: \`apps/cli/dist/events-cli\`, ${binaryMb.toFixed(1)} MB (${binaryBytes} bytes).`,
    "",
    `Start-up, ${runs} runs of each after ${warmups} warm-ups, round-robin, spawn to exit (ms):`,
    "",
    "| command | median | min | p90 |",
    "| --- | ---: | ---: | ---: |",
    ...rows,
  ].join("\n");
  return { binaryBytes, binaryMb, timings, markdown };
}

/** `cli`: {@link runCliBench}, once. */
export class CliScenario implements Scenario {
  readonly name = "cli";
  readonly section = "cli";
  readonly repeat = "once";
  #result: CliBenchResult | undefined;

  async run(context: ScenarioContext): Promise<void> {
    context.log("cli: start-up time");
    this.#result = await runCliBench({ quick: context.quick });
  }

  report(): ScenarioReport | undefined {
    if (this.#result === undefined) return undefined;
    return { lines: ["### Size and start-up", "", this.#result.markdown], targets: [] };
  }
}
