/**
 * Finding a key written twice in one JSON object. `JSON.parse` keeps the last and says
 * nothing (RFC 8259 §4 leaves it to the reader), so `{"message":"a","message":"b"}` would
 * pass for `"b"` while a proxy or logger in front of us reads `"a"`: we refuse it instead.
 */

/** Index of the quote that closes the string opened at `start` (a backslash run of odd length escapes a quote). */
function stringEnd(text: string, start: number): number {
  let at = text.indexOf('"', start + 1);
  for (;;) {
    let backslashes = 0;
    for (let k = at - 1; text.charCodeAt(k) === 0x5c; k--) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
}

function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/**
 * The first key that occurs twice in one object of `text`, decoded (`"\u006d"` is `"m"`),
 * or `undefined`. `text` must be valid JSON (parse it first): the walk relies on that.
 * Strings are skipped with native searches, so a long value costs little.
 * @example
 * findDuplicateKey('{"a":1,"b":{"a":2}}'); // undefined
 * findDuplicateKey('{"a":1,"a":2}');       // "a"
 */
export function findDuplicateKey(text: string): string | undefined {
  // One entry per open container: the keys seen so far in an object, undefined for an array.
  const open: (Set<string> | undefined)[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      const end = stringEnd(text, i);
      const keys = open[open.length - 1];
      if (keys !== undefined) {
        let next = end + 1;
        while (isJsonWhitespace(text.charCodeAt(next))) next++;
        // In valid JSON only a member's name is followed by a colon.
        if (text.charCodeAt(next) === 0x3a) {
          const raw = text.slice(i + 1, end);
          const key = raw.includes("\\") ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
          if (keys.has(key)) return key;
          keys.add(key);
        }
      }
      i = end;
    } else if (code === 0x7b) {
      open.push(new Set());
    } else if (code === 0x5b) {
      open.push(undefined);
    } else if (code === 0x7d || code === 0x5d) {
      open.pop();
    }
  }
  return undefined;
}
