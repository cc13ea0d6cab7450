/**
 * Parser throughput in this process: @events/sse-core's createParser (fed bytes) against
 * eventsource-parser (fed through a streaming TextDecoder, the way it is used on a fetch
 * body) and against a bare streaming TextDecoder.decode over the same chunks, the floor of any
 * parser that decodes the whole stream. Runtime-neutral: `bench/parser.ts` runs it on Bun,
 * Deno and Node, and the `parser` scenario (./parser.ts) runs that entry on each.
 */
import { createParser } from "@events/sse-core";
import { createParser as createEventsourceParser } from "eventsource-parser";
import { median } from "../lib/stats.ts";
import { generateCorpus } from "./parser-corpus.ts";

/** Options of {@link runParserBench}. */
export interface ParserBenchOptions {
  /**
   * A ~5 MB corpus and 6 measured rounds instead of ~50 MB and 9.
   * @default false
   */
  readonly quick?: boolean;
  /**
   * Payload text of ASCII words only, instead of a mix with accented, CJK and emoji words.
   * ASCII decodes several times faster, so the decode floor rises and the parsers' own work
   * weighs more.
   * @default false
   */
  readonly asciiOnly?: boolean;
}

/** Throughput of one contender, medians over the rounds. */
export interface ParserBenchRow {
  readonly name: string;
  /**
   * Median throughput over the measured rounds, in MB/s (10^6 bytes per second) of CPU time
   * (user + system of this process): on a machine shared with other jobs, wall time mostly
   * measures the wait for a core.
   */
  readonly mbPerSecond: number;
  /** The same by wall-clock time. */
  readonly mbPerSecondWall: number;
  /** Slowest and fastest measured round by CPU time, in MB/s: how steady the contender ran. */
  readonly mbPerSecondRange: readonly [slowest: number, fastest: number];
  /** Events seen (0 for the decode floor, which does not parse). */
  readonly events: number;
}

/** What {@link runParserBench} measured. */
export interface ParserBenchResult {
  readonly runtime: string;
  readonly asciiOnly: boolean;
  readonly corpusBytes: number;
  readonly chunkBytes: number;
  readonly frames: number;
  readonly rounds: number;
  readonly ours: ParserBenchRow;
  readonly eventsourceParser: ParserBenchRow;
  readonly decodeFloor: ParserBenchRow;
  /**
   * Streaming decode plus one `indexOf("\n")` per line, nothing else (not even CR): what
   * any decode-then-split parser pays before it looks at a single field.
   */
  readonly decodeAndFindLines: ParserBenchRow;
  /**
   * Streaming decode plus one `indexOf` pass for LF and one for CR, nothing else: the least
   * an exact decode-then-split parser pays, since CR, LF and CRLF all end a line and V8, JSC
   * and Deno offer no native search for either of two characters that beats two passes.
   */
  readonly decodeAndFindLineEnds: ParserBenchRow;
  /** ours / eventsource-parser (target: >= 1.0). */
  readonly oursOverEventsourceParser: number;
  /** ours / decode floor (target: >= 0.7). */
  readonly oursOverDecodeFloor: number;
}

const CHUNK_BYTES = 64 * 1024;
/** Rounds a contender runs before each block of measured ones (see the block loop). */
const UNMEASURED_ROUNDS_PER_BLOCK = 3;

/** Measures the contenders on a generated corpus, in rotating blocks of rounds. */
export async function runParserBench(options: ParserBenchOptions = {}): Promise<ParserBenchResult> {
  const quick = options.quick ?? false;
  const asciiOnly = options.asciiOnly ?? false;
  const corpus = generateCorpus(quick ? 5_000_000 : 50_000_000, 0x5eed, asciiOnly);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < corpus.bytes.length; offset += CHUNK_BYTES) {
    chunks.push(corpus.bytes.subarray(offset, offset + CHUNK_BYTES));
  }

  const contenders: Record<"ours" | "eventsourceParser" | "decodeFloor" | "decodeAndFindLines" | "decodeAndFindLineEnds", () => number> = {
    ours(): number {
      let events = 0;
      const parser = createParser({ onEvent: () => void events++ });
      for (const chunk of chunks) parser.feed(chunk);
      return events;
    },
    eventsourceParser(): number {
      let events = 0;
      const decoder = new TextDecoder();
      const parser = createEventsourceParser({ onEvent: () => void events++ });
      for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
      return events;
    },
    decodeFloor(): number {
      // Touches each string's length so the decode cannot be skipped.
      let characters = 0;
      const decoder = new TextDecoder();
      for (const chunk of chunks) characters += decoder.decode(chunk, { stream: true }).length;
      return characters > 0 ? 0 : -1;
    },
    decodeAndFindLines(): number {
      let lines = 0;
      const decoder = new TextDecoder();
      for (const chunk of chunks) {
        const text = decoder.decode(chunk, { stream: true });
        lines += countOf(text, "\n");
      }
      return lines > 0 ? 0 : -1;
    },
    decodeAndFindLineEnds(): number {
      let lineEnds = 0;
      const decoder = new TextDecoder();
      for (const chunk of chunks) {
        const text = decoder.decode(chunk, { stream: true });
        lineEnds += countOf(text, "\n") + countOf(text, "\r");
      }
      return lineEnds > 0 ? 0 : -1;
    },
  };
  const names = Object.keys(contenders) as Array<keyof typeof contenders>;

  const counts = { ours: 0, eventsourceParser: 0, decodeFloor: 0, decodeAndFindLines: 0, decodeAndFindLineEnds: 0 };
  for (const name of names) counts[name] = contenders[name]();
  if (counts.ours !== corpus.frames || counts.eventsourceParser !== corpus.frames) {
    throw new Error(
      `parsers disagree on the event count: corpus ${corpus.frames}, ours ${counts.ours}, eventsource-parser ${counts.eventsourceParser}`,
    );
  }

  // Rounds run in blocks: each contender runs a few unmeasured rounds and then
  // `roundsPerBlock` measured ones back to back, and the blocks rotate. Garbage is collected
  // on helper threads that count as this process's CPU time, so a contender that ran right after another pays
  // for part of the other's garbage: interleaving single rounds charged the parsers' garbage
  // to the allocation-light decode floor (on Bun the floor's median swung from 400 to 1,300
  // MB/s, against ~1,300 in a process of its own; after another contender it needs two or
  // three rounds to get back to speed). The unmeasured rounds absorb that, and the
  // rotation keeps slow drift of the machine from falling on one contender only.
  const blocks = 3;
  const roundsPerBlock = quick ? 2 : 3;
  const rounds = blocks * roundsPerBlock;
  const cpuTimes = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<keyof typeof contenders, number[]>;
  const wallTimes = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<keyof typeof contenders, number[]>;
  for (let block = 0; block < blocks; block++) {
    for (let index = 0; index < names.length; index++) {
      const name = names[(index + block) % names.length] as keyof typeof contenders;
      for (let round = 0; round < UNMEASURED_ROUNDS_PER_BLOCK; round++) contenders[name]();
      for (let round = 0; round < roundsPerBlock; round++) {
        const cpuStarted = cpuMilliseconds();
        const started = performance.now();
        contenders[name]();
        wallTimes[name].push(performance.now() - started);
        cpuTimes[name].push(cpuMilliseconds() - cpuStarted);
        await Promise.resolve();
      }
    }
  }

  const megabytes = corpus.bytes.length / 1e6;
  const row = (name: keyof typeof contenders, label: string): ParserBenchRow => ({
    name: label,
    mbPerSecond: megabytes / (median(cpuTimes[name]) / 1000),
    mbPerSecondWall: megabytes / (median(wallTimes[name]) / 1000),
    mbPerSecondRange: [megabytes / (Math.max(...cpuTimes[name]) / 1000), megabytes / (Math.min(...cpuTimes[name]) / 1000)],
    events: counts[name],
  });
  const ours = row("ours", "@events/sse-core createParser (bytes)");
  const eventsourceParser = row("eventsourceParser", "eventsource-parser 4.1.3 (+ streaming TextDecoder)");
  const decodeFloor = row("decodeFloor", "streaming TextDecoder.decode only (floor)");
  const decodeAndFindLines = row("decodeAndFindLines", "(reference) decode + indexOf per LF, no parsing");
  const decodeAndFindLineEnds = row("decodeAndFindLineEnds", "(reference) decode + indexOf per LF and per CR, no parsing");
  return {
    runtime: runtimeName(),
    asciiOnly,
    corpusBytes: corpus.bytes.length,
    chunkBytes: CHUNK_BYTES,
    frames: corpus.frames,
    rounds,
    ours,
    eventsourceParser,
    decodeFloor,
    decodeAndFindLines,
    decodeAndFindLineEnds,
    oursOverEventsourceParser: ours.mbPerSecond / eventsourceParser.mbPerSecond,
    oursOverDecodeFloor: ours.mbPerSecond / decodeFloor.mbPerSecond,
  };
}

/** The result as a small Markdown table. */
export function formatParserBench(result: ParserBenchResult): string {
  const lines = [
    `${result.runtime}, ${(result.corpusBytes / 1e6).toFixed(1)} MB ${result.asciiOnly ? "ASCII-only " : ""}corpus (${result.frames} frames), ${result.chunkBytes / 1024} KiB chunks, median of ${result.rounds} rounds in rotating blocks, each block after ${UNMEASURED_ROUNDS_PER_BLOCK} unmeasured ones`,
    "",
    "| parser | MB/s (CPU time) | slowest-fastest round | MB/s (wall) | events |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  const rows = [result.ours, result.eventsourceParser, result.decodeFloor, result.decodeAndFindLines, result.decodeAndFindLineEnds];
  for (const row of rows) {
    const events = row.events > 0 ? String(row.events) : "-";
    const [slowest, fastest] = row.mbPerSecondRange;
    lines.push(
      `| ${row.name} | ${row.mbPerSecond.toFixed(0)} | ${slowest.toFixed(0)}-${fastest.toFixed(0)} | ${row.mbPerSecondWall.toFixed(0)} | ${events} |`,
    );
  }
  lines.push("");
  lines.push(`ours / eventsource-parser: ${result.oursOverEventsourceParser.toFixed(2)}x (target >= 1.0)`);
  lines.push(`ours / decode floor: ${result.oursOverDecodeFloor.toFixed(2)}x (target >= 0.7)`);
  const findLinesOverFloor = result.decodeAndFindLines.mbPerSecond / result.decodeFloor.mbPerSecond;
  lines.push(`(reference) decode + find lines / decode floor: ${findLinesOverFloor.toFixed(2)}x`);
  const findLineEndsOverFloor = result.decodeAndFindLineEnds.mbPerSecond / result.decodeFloor.mbPerSecond;
  lines.push(`(reference) decode + find line ends (LF and CR) / decode floor: ${findLineEndsOverFloor.toFixed(2)}x`);
  return lines.join("\n");
}

/** How often `character` occurs in `text`, found by `indexOf` (native search) alone. */
function countOf(text: string, character: string): number {
  let count = 0;
  for (let at = text.indexOf(character); at !== -1; at = text.indexOf(character, at + 1)) count++;
  return count;
}

interface RuntimeGlobals {
  Bun?: { version: string };
  Deno?: { version: { deno: string } };
  process?: { versions: { node?: string }; cpuUsage(): { user: number; system: number } };
}

/** CPU time (user + system) of this process, in ms; wall time where it cannot be read. */
function cpuMilliseconds(): number {
  const usage = (globalThis as RuntimeGlobals).process?.cpuUsage();
  return usage === undefined ? performance.now() : (usage.user + usage.system) / 1000;
}

function runtimeName(): string {
  const runtime = globalThis as RuntimeGlobals;
  if (runtime.Bun) return `Bun ${runtime.Bun.version}`;
  if (runtime.Deno) return `Deno ${runtime.Deno.version.deno}`;
  return `Node ${runtime.process?.versions.node ?? "?"}`;
}
