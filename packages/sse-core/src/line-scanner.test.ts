import { describe, expect, test } from "vitest";
import { createLineScanner, type LineScanner } from "./line-scanner.ts";
import { feedings } from "./test-support/feed.ts";

function scanAll(pieces: readonly string[]): string[] {
  const lines: string[] = [];
  const scanner = createLineScanner((text, start, end) => lines.push(text.slice(start, end)));
  for (const piece of pieces) scanner.scan(piece);
  return lines;
}

describe("createLineScanner", () => {
  test("ends lines at CRLF, CR and LF however the text is cut, and holds the unfinished line", () => {
    const text = "a\r\nb\rc\n\r\n\n\r\rd\r\n\r\re";
    for (const feeding of feedings(text)) {
      expect({ feeding: feeding.name, lines: scanAll(feeding.chunks) }).toEqual({
        feeding: feeding.name,
        lines: ["a", "b", "c", "", "", "", "", "d", "", ""],
      });
    }
  });

  test("joins a line spread over many pieces once", () => {
    const pieces = Array.from({ length: 10_000 }, (_, index) => String(index % 10));
    expect(scanAll([...pieces, "\n"])).toEqual([pieces.join("")]);
  });

  test("hands the handler a line end or the end of the text after each line", () => {
    const after: number[] = [];
    const scanner = createLineScanner((text, _start, end) => after.push(text.charCodeAt(end)));
    scanner.scan("ab");
    scanner.scan("c\rd\n");
    expect(after).toEqual([Number.NaN, 10]);
  });

  test("stops the scan in progress when reset from the handler", () => {
    const lines: string[] = [];
    const scanner: LineScanner = createLineScanner((text, start, end) => {
      lines.push(text.slice(start, end));
      scanner.reset();
    });
    scanner.scan("a\nb\nc");
    scanner.scan("d\n");
    expect(lines).toEqual(["a", "d"]);
  });
});
