/**
 * Receives one complete line as `text[start, end)`, without its line end. `text[end]` is
 * the CR or LF that ended it, or past the end of `text`: never a letter or a colon, so a
 * handler may test a field-name prefix without checking `end` first.
 */
export type LineHandler = (text: string, start: number, end: number) => void;

/** Splits decoded text, fed in pieces, into lines (internal to the parser). */
export interface LineScanner {
  /** Scans the next piece of text; calls the handler for every line it completes. */
  scan(text: string): void;
  /** Drops the unfinished line and a pending CR; called from the handler, stops the scan. */
  reset(): void;
}

const LF = 10;

/**
 * Creates a line scanner following the spec's line rules: CRLF, a lone CR and a lone LF
 * each end a line; a CR ends its line at once, and an LF that follows it in the next piece
 * belongs to the same line end. Linear in the input however it is cut: an unfinished line
 * is kept as a list of fragments joined once, never rescanned.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream
 */
export function createLineScanner(onLine: LineHandler): LineScanner {
  const pending: string[] = [];
  /** The last piece ended with CR: an LF starting the next piece is the same line end. */
  let skipLineFeed = false;
  /** Incremented by `reset`, so a reset from the handler stops the scan in progress. */
  let generation = 0;

  function scan(text: string): void {
    const length = text.length;
    const startGeneration = generation;
    let position = 0;
    if (skipLineFeed && length > 0) {
      skipLineFeed = false;
      if (text.charCodeAt(0) === LF) position = 1;
    }
    if (position === length) return;

    let cr = text.indexOf("\r", position);
    let lf = text.indexOf("\n", position);

    // Each branch consumes one line end and searches again only for the character(s) it
    // consumed: a match still ahead is reused, so the scan stays linear however CRs and LFs
    // interleave, and an LF-only text costs one search per line.
    while (lf !== -1 || cr !== -1) {
      let end: number;
      let next: number;
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        end = lf;
        next = lf + 1;
        lf = text.indexOf("\n", next);
      } else {
        end = cr;
        if (lf === cr + 1) {
          next = cr + 2;
          lf = text.indexOf("\n", next);
        } else {
          next = cr + 1;
          // A CR ending the text: an LF starting the next piece belongs to this line end. Noted
          // before the handler runs, so it holds even if the handler throws.
          if (next === length) skipLineFeed = true;
        }
        cr = text.indexOf("\r", next);
      }
      if (pending.length === 0) {
        onLine(text, position, end);
      } else {
        pending.push(text.slice(position, end));
        const line = pending.join("");
        pending.length = 0;
        onLine(line, 0, line.length);
      }
      if (generation !== startGeneration) return;
      position = next;
    }
    if (position < length) pending.push(position === 0 ? text : text.slice(position));
  }

  function reset(): void {
    generation++;
    pending.length = 0;
    skipLineFeed = false;
  }

  return { scan, reset };
}
