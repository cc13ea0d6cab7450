/**
 * Start-up time and size of the compiled `events-cli` (the measurement is scenarios/cli.ts;
 * `bun run bench --only cli` runs it too and writes the table of bench/RESULTS.md).
 *
 * Run: bun bench/cli.ts [--quick]
 */
import { parseFlags, readFlagsOrExit } from "./lib/flags.ts";
import { runCliBench } from "./scenarios/cli.ts";

const flags = readFlagsOrExit("bun bench/cli.ts [--quick]", () => parseFlags({ quick: "boolean" }));
console.log((await runCliBench({ quick: flags.quick === true })).markdown);
