/**
 * The parser bench's corpus: generated SSE frames, the same bytes on every runtime for a seed.
 */
// The parser tests' own seeded generator (mulberry32), so a corpus is the same on every runtime.
import { createRandom } from "../../packages/sse-core/src/test-support/feed.ts";

/**
 * Realistic frames: an id, usually an event name, 1-3 data lines of 100-300 bytes of JSON
 * (some with non-ASCII text), LF or CRLF line ends chosen per frame, now and then a comment.
 */
export function generateCorpus(targetBytes: number, seed: number, asciiOnly: boolean): { bytes: Uint8Array; frames: number } {
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
