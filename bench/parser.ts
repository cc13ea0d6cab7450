// Parser throughput: @events/sse-core's createParser (fed bytes) against eventsource-parser
// (fed through a streaming TextDecoder, the way it is used on a fetch body) and against a
// bare streaming TextDecoder.decode over the same chunks, the floor of any parser that
// decodes the whole stream.
//
// Run: bun bench/parser.ts [--quick] [--ascii]   (also: deno run -A bench/parser.ts)
import { createParser } from "@events/sse-core";
import { createParser as createEventsourceParser } from "eventsource-parser";

/** Options of {@link runParserBench}. */
export interface ParserBenchOptions {
  /**
   * A ~5 MB corpus and 5 rounds instead of ~50 MB and 7 rounds.
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
  /** ours / eventsource-parser (target: >= 1.0). */
  readonly oursOverEventsourceParser: number;
  /** ours / decode floor (target: >= 0.7). */
  readonly oursOverDecodeFloor: number;
}

const CHUNK_BYTES = 64 * 1024;

/** Measures the three contenders on a generated corpus, interleaving rounds. */
export async function runParserBench(options: ParserBenchOptions = {}): Promise<ParserBenchResult> {
  const quick = options.quick ?? false;
  const asciiOnly = options.asciiOnly ?? false;
  const corpus = generateCorpus(quick ? 5_000_000 : 50_000_000, 0x5eed, asciiOnly);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < corpus.bytes.length; offset += CHUNK_BYTES) {
    chunks.push(corpus.bytes.subarray(offset, offset + CHUNK_BYTES));
  }

  const contenders: Record<"ours" | "eventsourceParser" | "decodeFloor" | "decodeAndFindLines", () => number> = {
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
        for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", end + 1)) lines++;
      }
      return lines > 0 ? 0 : -1;
    },
  };
  const names = Object.keys(contenders) as Array<keyof typeof contenders>;

  const counts = { ours: 0, eventsourceParser: 0, decodeFloor: 0, decodeAndFindLines: 0 };
  for (const name of names) counts[name] = contenders[name]();
  if (counts.ours !== corpus.frames || counts.eventsourceParser !== corpus.frames) {
    throw new Error(
      `parsers disagree on the event count: corpus ${corpus.frames}, ours ${counts.ours}, eventsource-parser ${counts.eventsourceParser}`,
    );
  }

  const rounds = quick ? 5 : 7;
  const cpuTimes: Record<keyof typeof contenders, number[]> = { ours: [], eventsourceParser: [], decodeFloor: [], decodeAndFindLines: [] };
  const wallTimes: Record<keyof typeof contenders, number[]> = { ours: [], eventsourceParser: [], decodeFloor: [], decodeAndFindLines: [] };
  for (let round = 0; round < rounds; round++) {
    // Rotate the order so no contender always runs right after another one's garbage.
    for (let index = 0; index < names.length; index++) {
      const name = names[(index + round) % names.length] as keyof typeof contenders;
      const cpuStarted = cpuMilliseconds();
      const started = performance.now();
      contenders[name]();
      wallTimes[name].push(performance.now() - started);
      cpuTimes[name].push(cpuMilliseconds() - cpuStarted);
      await Promise.resolve();
    }
  }

  const row = (name: keyof typeof contenders, label: string): ParserBenchRow => ({
    name: label,
    mbPerSecond: corpus.bytes.length / 1e6 / (median(cpuTimes[name]) / 1000),
    mbPerSecondWall: corpus.bytes.length / 1e6 / (median(wallTimes[name]) / 1000),
    events: counts[name],
  });
  const ours = row("ours", "@events/sse-core createParser (bytes)");
  const eventsourceParser = row("eventsourceParser", "eventsource-parser 4.1.3 (+ streaming TextDecoder)");
  const decodeFloor = row("decodeFloor", "streaming TextDecoder.decode only (floor)");
  const decodeAndFindLines = row("decodeAndFindLines", "(reference) decode + indexOf per LF, no parsing");
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
    oursOverEventsourceParser: ours.mbPerSecond / eventsourceParser.mbPerSecond,
    oursOverDecodeFloor: ours.mbPerSecond / decodeFloor.mbPerSecond,
  };
}

/** The result as a small Markdown table. */
export function formatParserBench(result: ParserBenchResult): string {
  const lines = [
    `${result.runtime}, ${(result.corpusBytes / 1e6).toFixed(1)} MB ${result.asciiOnly ? "ASCII-only " : ""}corpus (${result.frames} frames), ${result.chunkBytes / 1024} KiB chunks, median of ${result.rounds} interleaved rounds after a warm-up`,
    "",
    "| parser | MB/s (CPU time) | MB/s (wall) | events |",
    "| --- | ---: | ---: | ---: |",
  ];
  for (const row of [result.ours, result.eventsourceParser, result.decodeFloor, result.decodeAndFindLines]) {
    const events = row.events > 0 ? String(row.events) : "-";
    lines.push(`| ${row.name} | ${row.mbPerSecond.toFixed(0)} | ${row.mbPerSecondWall.toFixed(0)} | ${events} |`);
  }
  lines.push("");
  lines.push(`ours / eventsource-parser: ${result.oursOverEventsourceParser.toFixed(2)}x (target >= 1.0)`);
  lines.push(`ours / decode floor: ${result.oursOverDecodeFloor.toFixed(2)}x (target >= 0.7)`);
  const findLinesOverFloor = result.decodeAndFindLines.mbPerSecond / result.decodeFloor.mbPerSecond;
  lines.push(`(reference) decode + find lines / decode floor: ${findLinesOverFloor.toFixed(2)}x`);
  return lines.join("\n");
}

/**
 * Realistic frames: an id, usually an event name, 1-3 data lines of 100-300 bytes of JSON
 * (some with non-ASCII text), LF or CRLF line ends chosen per frame, now and then a comment.
 */
function generateCorpus(targetBytes: number, seed: number, asciiOnly: boolean): { bytes: Uint8Array; frames: number } {
  const random = createRandom(seed);
  const encoder = new TextEncoder();
  const names = ["update", "message", "price", "presence", "notification"];
  const words = asciiOnly
    ? ["alpha", "beta", "gamma", "delta", "kase", "naive", "tokyo", "emoji", "quote \\\"x\\\"", "tab\\t"]
    : ["alpha", "beta", "gamma", "delta", "käse", "naïve", "東京", "emoji 🚀", "quote \\\"x\\\"", "tab\\t"];
  const pieces: Uint8Array[] = [];
  let size = 0;
  let frames = 0;
  while (size < targetBytes) {
    const end = random() < 0.5 ? "\n" : "\r\n";
    let frame = `id: ${(1_700_000_000_000).toString(36)}-${frames}${end}`;
    if (random() < 0.7) frame += `event: ${names[Math.floor(random() * names.length)]}${end}`;
    if (random() < 0.02) frame += `: keepalive${end}`;
    const dataLines = 1 + Math.floor(random() * 3);
    for (let line = 0; line < dataLines; line++) {
      const length = 100 + Math.floor(random() * 200);
      let json = `{"seq":${frames},"line":${line},"text":"`;
      while (json.length < length - 2) json += `${words[Math.floor(random() * words.length)]} `;
      frame += `data: ${json}"}${end}`;
    }
    frame += end;
    const encoded = encoder.encode(frame);
    pieces.push(encoded);
    size += encoded.length;
    frames++;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const piece of pieces) {
    bytes.set(piece, offset);
    offset += piece.length;
  }
  return { bytes, frames };
}

function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
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

if (import.meta.main) {
  const quick = process.argv.includes("--quick");
  const asciiOnly = process.argv.includes("--ascii");
  console.log(formatParserBench(await runParserBench({ quick, asciiOnly })));
}
