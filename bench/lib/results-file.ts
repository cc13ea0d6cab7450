/**
 * The generated sections of bench/RESULTS.md: each sits between two marker comments, and
 * `bun run bench` replaces what is between them, leaving the rest of the file as it is.
 */

/** The marker comments around the generated section `name`. */
export function sectionMarkers(name: string): { readonly begin: string; readonly end: string } {
  return {
    begin: `<!-- bench/run.ts: begin ${name} (written by bun run bench; edit bench/scenarios or bench/report.ts, not this) -->`,
    end: `<!-- bench/run.ts: end ${name} -->`,
  };
}

/**
 * `text` with the generated section `name` set to `markdown`: replaced between its markers,
 * or appended at the end with its markers when `text` has none. Throws when only one of the
 * two markers is there (a hand edit broke the file).
 */
export function replaceSection(text: string, name: string, markdown: string): string {
  const { begin, end } = sectionMarkers(name);
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start === -1 && stop === -1) return `${text.trimEnd()}\n\n${block}\n`;
  if (start === -1 || stop < start) throw new Error(`the markers of section "${name}" are broken (need "${begin}" then "${end}")`);
  return text.slice(0, start) + block + text.slice(stop + end.length);
}
