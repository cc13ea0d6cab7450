/**
 * Parser throughput on the runtime that runs this file (the measurement is
 * scenarios/parser-bench.ts; `bun run bench --only parser` runs this entry on Bun, Deno and
 * Node and writes the table of bench/RESULTS.md).
 *
 * Run: bun bench/parser.ts [--quick] [--ascii] [--json]
 *      deno run -A bench/parser.ts [...]
 *      bun build --target node --conditions @events/source bench/parser.ts --outfile /tmp/parser-node.js && node /tmp/parser-node.js [...]
 * `--json` prints the result as one line of JSON instead of a Markdown table.
 */
import { parseFlags, readFlagsOrExit } from "./lib/flags.ts";
import { formatParserBench, runParserBench } from "./scenarios/parser-bench.ts";

const flags = readFlagsOrExit("bench/parser.ts [--quick] [--ascii] [--json]", () => parseFlags({ quick: "boolean", ascii: "boolean", json: "boolean" }));
const result = await runParserBench({ quick: flags.quick === true, asciiOnly: flags.ascii === true });
console.log(flags.json === true ? JSON.stringify(result) : formatParserBench(result));
