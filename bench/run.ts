/**
 * `bun run bench [--quick] [--rounds N] [--only a,b] [--peers a,b] [--write | --no-write] [--out FILE]`
 *
 * Runs the benchmark scenarios (scenarios/*.ts; each implements `Scenario`): the server
 * scenarios against the peers in interleaved rounds (each round visits every peer, in a
 * rotated order), then the parser and CLI scenarios once. Prints Markdown, and (full runs, or
 * with `--write`) replaces the generated sections of bench/RESULTS.md, or of `--out FILE`, that
 * this run measured. Scenarios: fanout, big, idle, trigger, resume, topics, burst, topics-scale, brokers, saturated, paired, storm, parser, cli. `--quick`
 * runs each small (CI's end-to-end check, well under two minutes) and writes nothing unless
 * told to: quick figures must not replace a full run's.
 *
 * Exit status: 0 when every scenario ran (a missing Nchan is reported, not an error; missed
 * targets are reported, not errors), 1 when a peer other than Nchan failed or a scenario threw.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { FULL_CONFIG, QUICK_CONFIG, type BenchConfig } from "./config.ts";
import { integerFlag, listFlag, parseFlags, readFlagsOrExit } from "./lib/flags.ts";
import { replaceSection } from "./lib/results-file.ts";
import { nchanVersions } from "./peers/nchan.ts";
import { PEER_LABELS, type PeerName, type RunningPeer, startPeer } from "./peers/start-peer.ts";
import { renderSection, type RunInfo } from "./report.ts";
import { AuthScenario } from "./scenarios/auth.ts";
import { BigFanoutScenario } from "./scenarios/big.ts";
import { BrokersScenario } from "./scenarios/brokers.ts";
import { BurstScenario } from "./scenarios/burst.ts";
import { CliScenario } from "./scenarios/cli.ts";
import { FanoutScenario } from "./scenarios/fanout.ts";
import { IdleScenario } from "./scenarios/idle.ts";
import { ParserScenario } from "./scenarios/parser.ts";
import { ResumeScenario } from "./scenarios/resume.ts";
import { PairedScenario } from "./scenarios/paired.ts";
import { SaturatedScenario } from "./scenarios/saturated.ts";
import { SCENARIO_NAMES, type Scenario, type ScenarioContext, type ScenarioReport, type SectionName } from "./scenarios/scenario.ts";
import { StormScenario } from "./scenarios/storm.ts";
import { TopicsScaleScenario } from "./scenarios/topics-scale.ts";
import { TopicsScenario } from "./scenarios/topics.ts";
import { TriggerScenario } from "./scenarios/trigger.ts";

const BENCH_DIR = import.meta.dir;
const REPO = resolve(BENCH_DIR, "..");
const STREAM_PEERS: readonly PeerName[] = ["ours", "minimal-bun", "elysia-generator", "better-sse", "nchan"];
const SECTIONS: readonly SectionName[] = ["servers", "topics", "bursts", "brokers", "saturated", "paired", "storm", "auth", "parser", "cli"];

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function sh(command: string): string {
  return Bun.spawnSync(["sh", "-c", command]).stdout.toString().trim();
}

/** Re-runs this script under a raised `ulimit -n` when the soft limit is too low for the idle scenario. */
function ensureFileLimit(needed: number): number {
  const soft = Number(sh("ulimit -n"));
  if (soft >= needed || process.env.BENCH_ULIMIT_RAISED === "1") return soft;
  log(`ulimit -n is ${soft}; re-running under the hard limit (${sh("ulimit -Hn")}) ...`);
  const child = Bun.spawnSync(["bash", "-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "--", process.execPath, ...process.argv.slice(1)], {
    env: { ...process.env, BENCH_ULIMIT_RAISED: "1" },
    stdio: ["inherit", "inherit", "inherit"],
  });
  process.exit(child.exitCode ?? 1);
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(REPO, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "missing";
  }
}

function rotate<T>(items: readonly T[], by: number): T[] {
  return items.map((_, i) => items[(i + by) % items.length] as T);
}

const USAGE = "bun run bench [--quick] [--rounds N] [--only a,b] [--peers a,b] [--write | --no-write] [--out FILE]";
const { quick, config, only, peers, write, resultsFile } = readFlagsOrExit(USAGE, () => {
  const flags = parseFlags({ quick: "boolean", rounds: "string", only: "string", peers: "string", write: "boolean", "no-write": "boolean", out: "string" });
  const quick = flags.quick === true;
  const base = quick ? QUICK_CONFIG : FULL_CONFIG;
  const config: BenchConfig = { ...base, rounds: integerFlag("rounds", flags.rounds, base.rounds) };
  return {
    quick,
    config,
    only: listFlag("only", flags.only, SCENARIO_NAMES),
    peers: listFlag("peers", flags.peers, STREAM_PEERS),
    write: flags.write === true || (!quick && flags["no-write"] !== true),
    resultsFile: resolve(flags.out ?? join(BENCH_DIR, "RESULTS.md")),
  };
});

const fileLimit = ensureFileLimit(config.idleClients + 2000);
if (fileLimit < config.idleClients + 2000) {
  const capped = Math.max(100, fileLimit - 2000);
  log(`ulimit -n is ${fileLimit} (hard limit): idle connections capped at ${capped} instead of ${config.idleClients}`);
  config.idleClients = capped;
}

const started = performance.now();
const missing = new Map<PeerName, string>();
const errors: Array<{ section: SectionName; message: string }> = [];
const machine = {
  nproc: sh("nproc"),
  memory: sh("free -h | awk '/^Mem:/ {print $2}'"),
  kernel: sh("uname -sr"),
  cpu: sh("awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo"),
  loadBefore: sh("cut -d' ' -f1-3 /proc/loadavg"),
  loadAfter: "",
  date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
};

function error(section: SectionName, message: string): void {
  errors.push({ section, message });
  log(`ERROR: ${message}`);
}

/** Starts a peer, runs `body`, stops it. Records a missing Nchan once; other failures are errors. */
async function withPeer(name: PeerName, maxConnections: number, body: (peer: RunningPeer) => Promise<void>): Promise<void> {
  if (missing.has(name)) return;
  let peer: RunningPeer;
  try {
    peer = await startPeer(name, { maxConnections, log });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    if (name === "nchan") {
      missing.set(name, reason);
      log(`NCHAN MISSING: ${reason}; its rows are left out.`);
    } else {
      error("servers", `${PEER_LABELS[name]} did not start: ${reason}`);
    }
    return;
  }
  try {
    await body(peer);
  } catch (cause) {
    error("servers", `${PEER_LABELS[name]}: ${cause instanceof Error ? cause.message : String(cause)}`);
  } finally {
    await peer.stop();
  }
}

async function runScenario(scenario: Scenario, round: number): Promise<void> {
  const context: ScenarioContext = { config, quick, round, peers: rotate(peers, round), withPeer, log };
  try {
    await scenario.run(context);
  } catch (cause) {
    error(scenario.section, `${scenario.name}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

const scenarios: Scenario[] = [
  new FanoutScenario(),
  new BigFanoutScenario(),
  new IdleScenario(),
  new TriggerScenario(),
  new ResumeScenario(),
  new TopicsScenario(),
  new BurstScenario(),
  new TopicsScaleScenario(),
  new BrokersScenario(),
  new SaturatedScenario(),
  new PairedScenario(),
  new StormScenario(),
  new AuthScenario(),
  new ParserScenario(),
  new CliScenario(),
].filter((scenario) => only.includes(scenario.name));

log(`bench: ${quick ? "quick" : "full"} run, ${config.rounds} round(s), peers ${peers.join(", ")}`);
for (let round = 0; round < config.rounds; round += 1) {
  for (const scenario of scenarios) if (scenario.repeat === "every round") await runScenario(scenario, round);
}
for (const scenario of scenarios) if (scenario.repeat === "once") await runScenario(scenario, 0);

machine.loadAfter = sh("cut -d' ' -f1-3 /proc/loadavg");
const info: RunInfo = {
  machine,
  versions: {
    bun: Bun.version,
    node: sh("node --version"),
    deno: Bun.which("deno") === null ? "missing" : (sh("deno --version").split(/\s+/)[1] ?? "?"),
    ...nchanVersions(),
    elysia: packageVersion("elysia"),
    betterSse: packageVersion("better-sse"),
  },
  command: `bun run bench${process.argv.length > 2 ? ` ${process.argv.slice(2).join(" ")}` : ""}`,
  config,
  seconds: (performance.now() - started) / 1000,
  missing,
  errors,
};

// `--out` may name a file that does not exist yet: it starts empty, and gets every section this run measured.
let results = write ? (existsSync(resultsFile) ? readFileSync(resultsFile, "utf8") : "# Benchmark results\n") : "";
for (const section of SECTIONS) {
  const reportContext = { config, missing };
  const reports = scenarios
    .filter((scenario) => scenario.section === section)
    .map((scenario) => scenario.report(reportContext))
    .filter((report): report is ScenarioReport => report !== undefined);
  // A section nothing measured stays as it is in the file (e.g. `--only parser` leaves the servers' figures).
  if (reports.length === 0) continue;
  const markdown = renderSection(section, info, reports);
  process.stdout.write(`${markdown}\n\n`);
  if (write) results = replaceSection(results, section, markdown);
}
if (write) {
  writeFileSync(resultsFile, results);
  log(`wrote ${resultsFile}`);
}
for (const [name, reason] of missing) log(`NOTE: ${PEER_LABELS[name]} was not measured: ${reason}`);
for (const { message } of errors) log(`ERROR: ${message}`);
log(`bench: done in ${info.seconds.toFixed(0)} s`);
process.exit(errors.length > 0 ? 1 : 0);
