// Differential tests: random streams built from the tokens that matter to the spec (field
// names, colons, spaces, every line end, NUL, digits, BOMs, multibyte, truncated and invalid
// UTF-8) must give exactly what the naive whole-stream reference parser gives, however
// they are cut into chunks. Seeded, so a failure names a reproducible case.
import { describe, expect, test } from "vitest";
import { createRandom, feedings, parseChunks, splitRandomly } from "./test-support/feed.ts";
import { referenceParse } from "./test-support/reference-parser.ts";

const encoder = new TextEncoder();

const TOKENS: ReadonlyArray<string | readonly number[]> = [
  "data", "data:", "data: ", "event:", "event: ", "id:", "id: ", "id", "retry:", "retry: ", "retry",
  ":", ": ", " ", "x", "hello", "é", "😀", "中", "\0", "1", "42", "-", "Data:", "\uFEFF",
  "\n", "\n", "\n", "\r", "\r\n", "\n\n", "\r\n\r\n",
  [0xef, 0xbb, 0xbf], [0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0x80],
  [0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0], [0xe2],
];

function randomStream(random: () => number): Uint8Array {
  const parts: number[] = [];
  if (random() < 0.3) parts.push(0xef, 0xbb, 0xbf);
  const count = Math.floor(random() * 40);
  for (let index = 0; index < count; index++) {
    const token = TOKENS[Math.floor(random() * TOKENS.length)] ?? "";
    for (const byte of typeof token === "string" ? encoder.encode(token) : token) parts.push(byte);
  }
  return Uint8Array.from(parts);
}

const FIELD_NAMES = ["data", "data", "data", "event", "id", "retry", "", "", "dat", "Data", "foo", " data"];
const VALUE_TOKENS: ReadonlyArray<string | readonly number[]> = [
  "x", "hello", " ", "é", "😀", "\0", "1", "250", "a:b", ":", "\uFEFF",
  [0x80], [0xc3], [0xf0, 0x9f, 0x98], [0xef, 0xbb, 0xbf], [0xff],
];
const LINE_ENDS = ["\n", "\n", "\r", "\r\n"];

/**
 * Streams shaped like event streams, so they actually dispatch events (a token soup rarely
 * puts `data:` at a line start before a blank line): lines of a field name (or a near miss),
 * an optional colon, a few value tokens and a line end, blank lines among them, sometimes a
 * BOM or two in front and a cut last line.
 */
function randomFrames(random: () => number): Uint8Array {
  const parts: number[] = [];
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const push = (token: string | readonly number[]): void => {
    for (const byte of typeof token === "string" ? encoder.encode(token) : token) parts.push(byte);
  };
  const roll = random();
  if (roll < 0.15) push([0xef, 0xbb, 0xbf]);
  if (roll < 0.05) push([0xef, 0xbb, 0xbf]);
  const lines = Math.floor(random() * 30);
  for (let line = 0; line < lines; line++) {
    if (random() < 0.25) {
      push(pick(LINE_ENDS));
      continue;
    }
    push(pick(FIELD_NAMES));
    const separator = random();
    if (separator < 0.75) push(separator < 0.4 ? ": " : ":");
    const tokens = Math.floor(random() * 4);
    for (let token = 0; token < tokens; token++) push(pick(VALUE_TOKENS));
    push(pick(LINE_ENDS));
  }
  if (random() < 0.5) push("data: cut");
  return Uint8Array.from(parts);
}

describe("createParser against the reference parser", () => {
  test("agrees on 1500 random line-structured streams cut at random", () => {
    const random = createRandom(4242);
    const seen = { events: 0, typed: 0, withId: 0, multiLine: 0, retries: 0 };
    for (let round = 0; round < 1500; round++) {
      const stream = randomFrames(random);
      const expected = referenceParse(stream);
      for (const chunks of [[stream], splitRandomly(stream, random, 4), splitRandomly(stream, random, 30)]) {
        const cut = chunks.map((chunk) => chunk.length).join("+");
        expect({ round, cut, output: parseChunks(chunks) }).toEqual({ round, cut, output: expected });
      }
      for (const event of expected.events) {
        seen.events++;
        if (event.type !== "message") seen.typed++;
        if (event.lastEventId !== "") seen.withId++;
        if (event.data.includes("\n")) seen.multiLine++;
      }
      seen.retries += expected.retries.length;
    }
    // The generator must keep exercising every rule, or this test proves little.
    expect(Math.min(seen.events / 500, seen.typed / 50, seen.withId / 50, seen.multiLine / 50, seen.retries / 5)).toBeGreaterThanOrEqual(1);
  });

  test("agrees on 1500 random byte streams cut at random", () => {
    const random = createRandom(20261125);
    for (let round = 0; round < 1500; round++) {
      const stream = randomStream(random);
      const expected = referenceParse(stream);
      const chunkings = [[stream], splitRandomly(stream, random, 3), splitRandomly(stream, random, 20)];
      for (const chunks of chunkings) {
        const cut = chunks.map((chunk) => chunk.length).join("+");
        expect({ round, cut, output: parseChunks(chunks) }).toEqual({ round, cut, output: expected });
      }
    }
  });

  test("agrees on 150 random byte streams split at every index", () => {
    const random = createRandom(7);
    for (let round = 0; round < 150; round++) {
      const stream = randomStream(random);
      const expected = referenceParse(stream);
      for (const feeding of feedings(stream, 0)) {
        expect({ round, feeding: feeding.name, output: parseChunks(feeding.chunks) }).toEqual({
          round,
          feeding: feeding.name,
          output: expected,
        });
      }
    }
  });

  test("agrees on random decoded strings cut at random", () => {
    const random = createRandom(99);
    for (let round = 0; round < 500; round++) {
      const text = new TextDecoder().decode(randomStream(random));
      const expected = referenceParse(text);
      const chunks = splitRandomly(text, random, 10);
      expect({ round, output: parseChunks(chunks) }).toEqual({ round, output: expected });
    }
  });

  test("never throws on random bytes of any value", () => {
    const random = createRandom(3);
    for (let round = 0; round < 300; round++) {
      const stream = Uint8Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256));
      expect(parseChunks(splitRandomly(stream, random, 8))).toEqual(referenceParse(stream));
    }
  });
});
