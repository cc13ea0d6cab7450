/**
 * What every benchmark scenario implements. `bench/run.ts` runs the selected scenarios (the
 * `every round` ones once per interleaved round, in order, then the `once` ones), and each
 * scenario keeps what it measured and turns it into Markdown for its section of
 * bench/RESULTS.md.
 */
import type { BenchConfig } from "../config.ts";
import type { PeerName, RunningPeer } from "../peers/start-peer.ts";

/** The names `--only` selects scenarios by, in the order they run. */
export const SCENARIO_NAMES = ["fanout", "big", "idle", "trigger", "resume", "topics", "burst", "topics-scale", "brokers", "saturated", "paired", "storm", "auth", "parser", "cli"] as const;

/** A scenario's name. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/**
 * The generated sections of bench/RESULTS.md: the server scenarios against peers share one
 * (with the machine, the peers and the targets); topics (ours only), the brokers (in process),
 * the parser and the CLI have one each.
 */
export type SectionName = "servers" | "topics" | "bursts" | "brokers" | "saturated" | "paired" | "storm" | "auth" | "parser" | "cli";

/** What a scenario gets for one run. */
export interface ScenarioContext {
  readonly config: Readonly<BenchConfig>;
  readonly quick: boolean;
  /** The round, from 0 (always 0 for a `once` scenario). */
  readonly round: number;
  /** The streaming peers chosen with `--peers`, rotated by the round. */
  readonly peers: readonly PeerName[];
  /**
   * Starts the peer, runs `body` against it and stops it. A peer that cannot start, or a
   * `body` that throws, is recorded (a missing Nchan as a note, anything else as an error)
   * and the run goes on.
   */
  withPeer(name: PeerName, maxConnections: number, body: (peer: RunningPeer) => Promise<void>): Promise<void>;
  /** Progress, to stderr. */
  log(line: string): void;
}

/** What {@link Scenario.report} needs besides the scenario's own measurements. */
export interface ReportContext {
  readonly config: Readonly<BenchConfig>;
  /** Peers that could not run, with why. */
  readonly missing: ReadonlyMap<PeerName, string>;
}

/** A scenario's part of its section. */
export interface ScenarioReport {
  /** Markdown lines, starting with the scenario's `###` heading. */
  readonly lines: readonly string[];
  /** One line per target, with its verdict ("**met**", "**missed**", "not measured"). */
  readonly targets: readonly string[];
}

/** One benchmark scenario. */
export interface Scenario {
  readonly name: ScenarioName;
  /** The section of bench/RESULTS.md its report goes into. */
  readonly section: SectionName;
  /** Measured in every interleaved round, or once after the rounds. */
  readonly repeat: "every round" | "once";
  /** Measures (one round of) the scenario and keeps the figures. Throws on a failure that ends the scenario. */
  run(context: ScenarioContext): Promise<void>;
  /** The Markdown of what was measured, or `undefined` when nothing was. */
  report(context: ReportContext): ScenarioReport | undefined;
}
