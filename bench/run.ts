/**
 * `bun run bench [--quick] [--rounds N] [--only a,b] [--peers a,b] [--write | --no-write]`
 *
 * Runs every benchmark against the peers, in interleaved rounds (each round visits every
 * peer, in a rotated order), prints Markdown, and (full runs, or with `--write`) replaces
 * this script's sections of bench/RESULTS.md. Scenarios: fanout, big, idle, trigger, resume,
 * parser, cli. `--quick` runs each small (CI's end-to-end check, well under two minutes).
 *
 * Exit status: 0 when every scenario ran (a missing Nchan is reported, not an error; missed
 * targets are reported, not errors), 1 when a peer other than Nchan failed or a scenario threw.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type FanoutStep, runFanout } from "./scenarios/fanout.ts";
import { type IdleResult, runIdle } from "./scenarios/idle.ts";
import { type ResumeResult, runResume } from "./scenarios/resume.ts";
import { runTriggerPaired, type TriggerResult } from "./scenarios/trigger.ts";
import { PEER_LABELS, type PeerName, type RunningPeer, startPeer } from "./peers/start-peer.ts";
import { nchanVersions } from "./peers/nchan.ts";
import { renderReport, type BenchConfig, type BenchResults } from "./report.ts";

const BENCH_DIR = import.meta.dir;
const REPO = resolve(BENCH_DIR, "..");
const STREAM_PEERS: readonly PeerName[] = ["ours", "minimal-bun", "elysia-generator", "better-sse", "nchan"];
const SCENARIOS = ["fanout", "big", "idle", "trigger", "resume", "parser", "cli"] as const;
type Scenario = (typeof SCENARIOS)[number];

const FULL: BenchConfig = {
  rounds: 3,
  fanoutClients: 1000,
  fanoutRates: [100, 200, 500, 1000, 2000],
  stepSeconds: 3,
  bigClients: 5000,
  bigRate: 100,
  bigStepSeconds: 3,
  idleClients: 10_000,
  idleSettleMs: 2000,
  triggerConcurrency: 50,
  triggerMs: 3000,
  resumeClients: 1000,
  resumeHistory: 1000,
  resumeBack: 500,
};

const QUICK: BenchConfig = {
  rounds: 1,
  fanoutClients: 200,
  fanoutRates: [100, 500],
  stepSeconds: 1,
  bigClients: 500,
  bigRate: 100,
  bigStepSeconds: 1,
  idleClients: 1000,
  idleSettleMs: 500,
  triggerConcurrency: 50,
  triggerMs: 1000,
  resumeClients: 200,
  resumeHistory: 300,
  resumeBack: 100,
};

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

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

const quick = process.argv.includes("--quick");
const base = quick ? QUICK : FULL;
const config: BenchConfig = { ...base, rounds: Number(flag("--rounds") ?? base.rounds) };
const only = new Set((flag("--only") ?? SCENARIOS.join(",")).split(",") as Scenario[]);
const peers = STREAM_PEERS.filter((peer) => (flag("--peers") ?? STREAM_PEERS.join(",")).split(",").includes(peer));
const write = process.argv.includes("--write") || (!quick && !process.argv.includes("--no-write"));

const fileLimit = ensureFileLimit(config.idleClients + 2000);
if (fileLimit < config.idleClients + 2000) {
  const capped = Math.max(100, fileLimit - 2000);
  log(`ulimit -n is ${fileLimit} (hard limit): idle connections capped at ${capped} instead of ${config.idleClients}`);
  config.idleClients = capped;
}

const started = performance.now();
const results: BenchResults = {
  fanout: new Map(),
  big: new Map(),
  idle: new Map(),
  trigger: new Map(),
  resume: [],
  missing: new Map(),
  errors: [],
  machine: {
    nproc: sh("nproc"),
    memory: sh("free -h | awk '/^Mem:/ {print $2}'"),
    kernel: sh("uname -sr"),
    cpu: sh("awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo"),
    loadBefore: sh("cut -d' ' -f1-3 /proc/loadavg"),
    loadAfter: "",
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  },
  versions: {
    bun: Bun.version,
    node: sh("node --version"),
    ...nchanVersions(),
    elysia: packageVersion("elysia"),
    betterSse: packageVersion("better-sse"),
  },
  command: `bun run bench${process.argv.slice(2).length > 0 ? ` ${process.argv.slice(2).join(" ")}` : ""}`,
  config,
  seconds: 0,
};

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Starts a peer, runs `body`, stops it. Records a missing Nchan once; other failures are errors. */
async function withPeer(name: PeerName, maxConnections: number, body: (peer: RunningPeer) => Promise<void>): Promise<void> {
  if (results.missing.has(name)) return;
  let peer: RunningPeer;
  try {
    peer = await startPeer(name, { maxConnections, log });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (name === "nchan") {
      results.missing.set(name, reason);
      log(`NCHAN MISSING: ${reason}; its rows are left out.`);
    } else {
      results.errors.push(`${PEER_LABELS[name]} did not start: ${reason}`);
      log(`ERROR: ${PEER_LABELS[name]} did not start: ${reason}`);
    }
    return;
  }
  try {
    await body(peer);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    results.errors.push(`${PEER_LABELS[name]}: ${reason}`);
    log(`ERROR: ${PEER_LABELS[name]}: ${reason}`);
  } finally {
    await peer.stop();
  }
}

log(`bench: ${quick ? "quick" : "full"} run, ${config.rounds} round(s), peers ${peers.join(", ")}`);
for (let round = 0; round < config.rounds; round += 1) {
  const order = rotate(peers, round);
  if (only.has("fanout")) {
    log(`round ${round + 1}: fan-out to ${config.fanoutClients} clients`);
    for (const name of order) {
      await withPeer(name, config.fanoutClients + 100, async (peer) => {
        const steps = await runFanout(peer, { clients: config.fanoutClients, rates: config.fanoutRates, stepSeconds: config.stepSeconds, log });
        push(results.fanout, name, steps);
      });
    }
  }
  if (only.has("big")) {
    log(`round ${round + 1}: ${config.bigClients} clients at ${config.bigRate} events/s`);
    for (const name of order) {
      await withPeer(name, config.bigClients + 100, async (peer) => {
        const steps = await runFanout(peer, { clients: config.bigClients, rates: [config.bigRate], stepSeconds: config.bigStepSeconds, log });
        if (steps[0] !== undefined) push(results.big, name, steps[0]);
      });
    }
  }
  if (only.has("idle")) {
    log(`round ${round + 1}: ${config.idleClients} idle connections`);
    for (const name of order) {
      await withPeer(name, config.idleClients + 100, async (peer) => {
        const idle = await runIdle(peer, config.idleClients, config.idleSettleMs);
        log(`  ${name}: ${idle.open}/${idle.requested} open, ${idle.kbPerConnection.toFixed(2)} KB/connection (${idle.connectSeconds.toFixed(1)} s to connect)`);
        push(results.idle, name, idle);
      });
    }
  }
  if (only.has("trigger")) {
    log(`round ${round + 1}: trigger throughput at concurrency ${config.triggerConcurrency}`);
    // Both peers run at once (each idle while the other is loaded), measured in alternating windows.
    const [first, second] = rotate(["ours", "elysia-post"] as PeerName[], round) as [PeerName, PeerName];
    await withPeer(first, 1000, (a) =>
      withPeer(second, 1000, async (b) => {
        const measured = await runTriggerPaired([a, b], { concurrency: config.triggerConcurrency, durationMs: config.triggerMs });
        for (const [peer, trigger] of measured) {
          log(`  ${peer.name}: ${Math.round(trigger.requestsPerSecond)} req/s, ${Math.round(trigger.requestsPerCpuSecond)} req/CPU-s, ${trigger.errors} errors`);
          push(results.trigger, peer.name, trigger);
        }
      }),
    );
  }
  if (only.has("resume")) {
    log(`round ${round + 1}: resume storm, ${config.resumeClients} clients ${config.resumeBack} events back`);
    await withPeer("ours", config.resumeClients + 100, async (peer) => {
      const storm: ResumeResult = await runResume(peer, config.resumeClients, config.resumeHistory, config.resumeBack);
      log(`  ours: ${storm.caughtUp}/${storm.clients} caught up in ${storm.seconds.toFixed(2)} s, peak RSS ${(storm.peakRssKb / 1024).toFixed(1)} MB`);
      results.resume.push(storm);
    });
  }
}

let parserMarkdown: string | undefined;
let cliMarkdown: string | undefined;
if (only.has("parser") && existsSync(join(BENCH_DIR, "parser.ts"))) {
  log("parser: sse-core vs eventsource-parser");
  try {
    const parser = await import("./parser.ts");
    parserMarkdown = parser.formatParserBench(await parser.runParserBench({ quick }));
  } catch (error) {
    results.errors.push(`parser bench: ${error instanceof Error ? error.message : String(error)}`);
  }
}
if (only.has("cli") && existsSync(join(BENCH_DIR, "cli.ts"))) {
  log("cli: start-up time");
  try {
    const cli = await import("./cli.ts");
    cliMarkdown = (await cli.runCliBench({ quick })).markdown;
  } catch (error) {
    results.errors.push(`cli bench: ${error instanceof Error ? error.message : String(error)}`);
  }
}

results.machine.loadAfter = sh("cut -d' ' -f1-3 /proc/loadavg");
results.seconds = (performance.now() - started) / 1000;
const report = renderReport(results);
const BEGIN = "<!-- bench/run.ts: begin (written by bun run bench; edit bench/report.ts instead) -->";
const END = "<!-- bench/run.ts: end -->";
process.stdout.write(`${report}\n`);
if (parserMarkdown !== undefined) process.stdout.write(`\n## Parser (this run)\n\n${parserMarkdown}\n`);
if (cliMarkdown !== undefined) process.stdout.write(`\n## CLI (this run)\n\n${cliMarkdown}\n`);
if (write) {
  const file = join(BENCH_DIR, "RESULTS.md");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmark results\n";
  const block = `${BEGIN}\n${report}\n${END}`;
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const next = start !== -1 && end > start ? current.slice(0, start) + block + current.slice(end + END.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
  log(`wrote ${file}`);
}
for (const [name, reason] of results.missing) log(`NOTE: ${PEER_LABELS[name]} was not measured: ${reason}`);
for (const error of results.errors) log(`ERROR: ${error}`);
log(`bench: done in ${results.seconds.toFixed(0)} s`);
process.exit(results.errors.length > 0 ? 1 : 0);
