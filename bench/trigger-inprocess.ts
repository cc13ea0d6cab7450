/**
 * The trigger path without the network: our app's `fetch` against the bare Elysia POST route
 * (bench/peers/elysia-post.ts, the same route), both in this one process, interleaved. With
 * no sockets and no second process on the two cores, differences of a few percent show
 * that the loopback benchmark (`bun run bench --only trigger`) cannot resolve from run to run.
 *
 * Run: bun bench/trigger-inprocess.ts [--against /path/to/other/checkout] [--rounds N]
 * `--against` adds another checkout's app (its packages/server/src/app.ts) as a third
 * contender, e.g. a worktree of an older commit: `git worktree add /tmp/old <commit>` and
 * `bun install` there first.
 */
import { join } from "node:path";
import { Elysia, t } from "elysia";
import { createApp } from "../packages/server/src/app.ts";
import { integerFlag, parseFlags, readFlagsOrExit } from "./lib/flags.ts";
import { median } from "./lib/stats.ts";

type Fetch = (request: Request) => Response | Promise<Response>;

const { against, rounds } = readFlagsOrExit("bun bench/trigger-inprocess.ts [--against /path/to/other/checkout] [--rounds N]", () => {
  const flags = parseFlags({ against: "string", rounds: "string" });
  return { against: flags.against, rounds: integerFlag("rounds", flags.rounds, 15) };
});

// The body as bytes, as a socket delivers it: Bun keeps a string body as a string, which
// makes text() and json() look free and bytes() look dear next to a real request.
const body = new TextEncoder().encode(JSON.stringify({ message: "hello from the trigger benchmark, a message of about sixty-four b" }));
const headers = { "content-type": "application/json", "content-length": String(body.byteLength) };
const request = (): Request => new Request("http://127.0.0.1/events/trigger", { method: "POST", headers, body: body.slice() });

/** The same route as bench/peers/elysia-post.ts. */
function bareElysia(): Fetch {
  let nextId = 0;
  return new Elysia().post(
    "/events/trigger",
    ({ body: { message } }) => {
      nextId += 1;
      return { status: `Event broadcast to 0 clients (${message.length})`, id: String(nextId) };
    },
    { body: t.Object({ message: t.String() }) },
  ).fetch;
}

/** Microseconds per request over `count` requests, each answer read to the end. */
async function timePerRequest(fetch: Fetch, count: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const response = await fetch(request());
    if (response.status !== 200) throw new Error(`answer ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  }
  return ((performance.now() - start) * 1000) / count;
}

/** Microseconds to build and drain a request alone: the part every contender pays. */
async function timeRequestOnly(count: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await request().arrayBuffer();
  return ((performance.now() - start) * 1000) / count;
}

const perRound = 20_000;
const contenders: [string, Fetch][] = [
  ["bare Elysia POST route", bareElysia()],
  ["ours (createApp)", (await createApp({})).fetch],
];
if (against !== undefined) {
  const other = (await import(join(against, "packages/server/src/app.ts"))) as { createApp: typeof createApp };
  contenders.push([`ours at ${against}`, (await other.createApp({})).fetch]);
}

for (const [, fetch] of contenders) await timePerRequest(fetch, 30_000);
const samples = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
const requestOnly: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (const [name, fetch] of contenders) samples.get(name)?.push(await timePerRequest(fetch, perRound));
  requestOnly.push(await timeRequestOnly(perRound));
}

const bare = median(samples.get("bare Elysia POST route") as number[]);
const base = median(requestOnly);
console.log(`Bun ${Bun.version}, ${rounds} interleaved rounds of ${perRound} requests, in one process (µs per request)`);
console.log("");
console.log("| contender | median µs | min µs | minus request | ÷ bare (time) |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const [name] of contenders) {
  const values = samples.get(name) as number[];
  const mid = median(values);
  console.log(`| ${name} | ${mid.toFixed(2)} | ${Math.min(...values).toFixed(2)} | ${(mid - base).toFixed(2)} | ${(mid / bare).toFixed(2)}x |`);
}
console.log(`| a request built and drained, nothing else | ${base.toFixed(2)} | ${Math.min(...requestOnly).toFixed(2)} | | |`);
