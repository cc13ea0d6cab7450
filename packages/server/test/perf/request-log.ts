/**
 * The request log's cost on the trigger path, in process: `app.fetch` against
 * `withRequestLog(app.fetch)` with a text and a JSON logger whose sink keeps only a count (no
 * I/O), and with the logger at `warn` (no request lines), in 7 interleaved rounds.
 * Run: bun packages/server/test/perf/request-log.ts
 */
import { createApp } from "../../src/app.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { withRequestLog } from "../../src/logging/request-log.ts";
type Fetch = (request: Request) => Response | Promise<Response>;
const body = new TextEncoder().encode(JSON.stringify({ message: "hello from the trigger benchmark, a message of about sixty-four b" }));
const headers = { "content-type": "application/json", "content-length": String(body.byteLength) };
const request = (): Request => new Request("http://127.0.0.1/events/trigger", { method: "POST", headers, body: body.slice() });
let written = 0;
const sink = (line: string): void => { written += line.length; };
const app = await createApp({ webRoot: false });
const contenders: [string, Fetch][] = [
  ["app.fetch", app.fetch],
  ["withRequestLog text", withRequestLog(app.fetch, { logger: createLogger({ format: "text", write: sink, secrets: ["tok"] }) })],
  ["withRequestLog json", withRequestLog(app.fetch, { logger: createLogger({ format: "json", write: sink, secrets: ["tok"] }) })],
  ["withRequestLog at warn", withRequestLog(app.fetch, { logger: createLogger({ level: "warn", write: sink }) })],
];
async function time(fetch: Fetch, n: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) { const r = await fetch(request()); if (r.status !== 200) throw new Error(String(r.status)); await r.arrayBuffer(); }
  return ((performance.now() - start) * 1000) / n;
}
for (const [, f] of contenders) await time(f, 20_000);
const samples = new Map<string, number[]>(contenders.map(([n]) => [n, []]));
for (let round = 0; round < 7; round++) for (const [n, f] of contenders) samples.get(n)!.push(await time(f, 20_000));
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
for (const [n] of contenders) console.log(`| ${n} | ${median(samples.get(n)!).toFixed(2)} | ${Math.min(...samples.get(n)!).toFixed(2)} |`);
console.log("chars written", written);
