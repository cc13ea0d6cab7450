/**
 * The generated sections of bench/RESULTS.md: a head saying which command wrote the section,
 * when, on what machine and with which versions, then the targets of its scenarios with their
 * verdicts, then each scenario's tables (scenarios/*.ts).
 */
import type { BenchConfig } from "./config.ts";
import { fmt } from "./lib/stats.ts";
import { PEER_LABELS, type PeerName } from "./peers/start-peer.ts";
import type { ScenarioReport, SectionName } from "./scenarios/scenario.ts";

/** Where and how a run ran. */
export interface RunInfo {
  readonly machine: { nproc: string; memory: string; kernel: string; cpu: string; loadBefore: string; loadAfter: string; date: string };
  readonly versions: { bun: string; node: string; deno: string; nginx: string; nchan: string; elysia: string; betterSse: string };
  /** The command line, e.g. `bun run bench --rounds 5`. */
  readonly command: string;
  readonly config: Readonly<BenchConfig>;
  /** The whole run's wall time. */
  readonly seconds: number;
  /** Peers that could not run, with why (Nchan not installable). */
  readonly missing: ReadonlyMap<PeerName, string>;
  /** Failures, by the section they belong to. */
  readonly errors: ReadonlyArray<{ readonly section: SectionName; readonly message: string }>;
}

function serversHead(info: RunInfo): string[] {
  const { machine, versions, config } = info;
  const head = [
    "## Servers: fan-out, idle memory, trigger, resume storm",
    "",
    `Written by \`${info.command}\` (bench/run.ts) on ${machine.date}, ${fmt(info.seconds)} s, ${config.rounds} interleaved round(s):`,
    "each round starts every peer as its own process on a loopback port, in a rotated order, with fresh connections.",
    "",
    `- Machine: ${machine.nproc} cores (${machine.cpu}), ${machine.memory} RAM, ${machine.kernel}; load average ${machine.loadBefore} before, ${machine.loadAfter} after`,
    "  (the cores are shared with the load generator and publisher, and with any other job running at the time).",
    `- Versions: Bun ${versions.bun}, Node ${versions.node}, nginx ${versions.nginx}, Nchan (libnginx-mod-nchan) ${versions.nchan}, Elysia ${versions.elysia}, better-sse ${versions.betterSse}.`,
    "- Peers: ours = `bun packages/server/src/runtime/bun.ts --host 127.0.0.1 --max-clients N --log-level warn` (no request lines, as no peer writes any; defaults otherwise: history 1,000,",
    "  keepalive 15 s, 1 MiB per-client buffer); minimal Bun.serve broadcaster (bench/peers/minimal-bun.ts); Elysia's `sse()` generator,",
    "  one async generator per client (bench/peers/elysia-generator.ts); better-sse channel on Node http (bench/peers/better-sse-node.mjs);",
    "  Nchan, nginx with one worker (bench/peers/nchan.ts). Every peer sends the same `data: {\"message\":\"...\"}` frames (64-character messages).",
    "- Load: bench/loadgen: raw-TCP SSE clients (`Bun.connect`), a fixed-rate publisher in its own process, CPU time from the process's CPU clock (`clock_gettime`, to the nanosecond), RSS from /proc/<pid>.",
  ];
  for (const [name, reason] of info.missing) head.push(`- **${PEER_LABELS[name]} was not measured**: ${reason}.`);
  return head;
}

function standaloneHead(title: string, info: RunInfo): string[] {
  const { machine, versions } = info;
  return [
    `## ${title}`,
    "",
    `Written by \`${info.command}\` (bench/run.ts) on ${machine.date}.`,
    "",
    `- Machine: ${machine.nproc} cores (${machine.cpu}), ${machine.memory} RAM, ${machine.kernel}; load average ${machine.loadBefore} before the run, ${machine.loadAfter} after`,
    "  (shared with any other job running at the time: read medians).",
    `- Versions: Bun ${versions.bun}, Deno ${versions.deno}, Node ${versions.node}.`,
  ];
}

const STANDALONE_TITLES: Readonly<Record<Exclude<SectionName, "servers">, string>> = {
  topics: "Topics: cost follows the topic (ours only)",
  bursts: "Bursts and topics at scale (issue 19)",
  brokers: "Brokers: memory, Redis and Postgres side by side",
  saturated: "Saturated fan-out: coalesced writes against the minimal broadcaster",
  paired: "Paired fan-out: ours and the minimal broadcaster in alternating windows (issue 19)",
  storm: "Reconnect storm on Redis (ours only)",
  auth: "Authorization: what a token costs (ours only)",
  parser: "Parser",
  cli: "CLI",
};

/** The Markdown of one generated section, from the reports of its scenarios in run order. */
export function renderSection(section: SectionName, info: RunInfo, reports: readonly ScenarioReport[]): string {
  const head = section === "servers" ? serversHead(info) : standaloneHead(STANDALONE_TITLES[section], info);
  for (const error of info.errors) if (error.section === section) head.push(`- **Error**: ${error.message}`);
  const targets = reports.flatMap((report) => report.targets);
  const targetLines = targets.length > 0 ? ["", section === "servers" ? "### Targets (issue 8)" : "### Targets", "", ...targets.map((t) => `- ${t}`)] : [];
  const body = reports.flatMap((report) => ["", ...report.lines]);
  return [...head, ...targetLines, ...body].join("\n");
}
