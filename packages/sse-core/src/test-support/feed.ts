// Helpers for parser tests: run a parser over chunks, cut a stream into chunks in every
// way the tests need, and a seeded PRNG so random splits are reproducible.
import { createParser } from "../parse.ts";
import type { ParseOutput } from "./reference-parser.ts";

/** Builds a byte stream from text (UTF-8 encoded) and raw byte runs. */
export function bytes(...parts: ReadonlyArray<string | readonly number[]>): Uint8Array {
  const encoder = new TextEncoder();
  const pieces = parts.map((part) => (typeof part === "string" ? encoder.encode(part) : Uint8Array.from(part)));
  const joined = new Uint8Array(pieces.reduce((total, piece) => total + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    joined.set(piece, offset);
    offset += piece.length;
  }
  return joined;
}

/** Feeds `chunks` to a fresh parser and collects what it reports. */
export function parseChunks(chunks: Iterable<Uint8Array | string>): ParseOutput {
  const output: ParseOutput = { events: [], retries: [], comments: [] };
  const parser = createParser({
    onEvent: (event) => output.events.push(event),
    onRetry: (ms) => output.retries.push(ms),
    onComment: (text) => output.comments.push(text),
  });
  for (const chunk of chunks) parser.feed(chunk);
  return output;
}

/** Cuts `stream` at the given ascending offsets. */
export function splitAt<T extends Uint8Array | string>(stream: T, offsets: readonly number[]): T[] {
  const chunks: T[] = [];
  let start = 0;
  for (const offset of [...offsets, stream.length]) {
    chunks.push(stream.slice(start, offset) as T);
    start = offset;
  }
  return chunks;
}

/** Cuts `stream` into pieces of `size` (the last one shorter). */
export function splitEvery<T extends Uint8Array | string>(stream: T, size: number): T[] {
  const offsets: number[] = [];
  for (let offset = size; offset < stream.length; offset += size) offsets.push(offset);
  return splitAt(stream, offsets);
}

/** A seeded PRNG (mulberry32) returning floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts `stream` at up to `maxCuts` random offsets (empty chunks included on purpose). */
export function splitRandomly<T extends Uint8Array | string>(stream: T, random: () => number, maxCuts: number): T[] {
  const cuts = Math.floor(random() * (maxCuts + 1));
  const offsets: number[] = [];
  for (let index = 0; index < cuts; index++) offsets.push(Math.floor(random() * (stream.length + 1)));
  offsets.sort((a, b) => a - b);
  return splitAt(stream, offsets);
}

/**
 * Every way the tests feed one stream: whole, one byte at a time, split in two at every
 * index, and `randomSplits` seeded random multi-way splits. Each comes with a name for the
 * failure message.
 */
export function feedings<T extends Uint8Array | string>(
  stream: T,
  randomSplits = 20,
  seed = 1,
): Array<{ name: string; chunks: T[] }> {
  const result: Array<{ name: string; chunks: T[] }> = [
    { name: "whole", chunks: [stream] },
    { name: "one unit at a time", chunks: splitEvery(stream, 1) },
  ];
  for (let index = 0; index <= stream.length; index++) {
    result.push({ name: `split at ${index}`, chunks: splitAt(stream, [index]) });
  }
  const random = createRandom(seed);
  for (let round = 0; round < randomSplits; round++) {
    const chunks = splitRandomly(stream, random, 12);
    result.push({ name: `random split ${chunks.map((chunk) => chunk.length).join("+")}`, chunks });
  }
  return result;
}
