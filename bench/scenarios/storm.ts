/**
 * Reconnect storm on the Redis broker (issue 19, target 6). For each storm size N: a fresh
 * private `redis-server` (so `INFO commandstats` counts this run alone), a server node on
 * `--broker redis` that stores `history` events, a node restart (a new process: nothing of the
 * history in its memory), then N clients reconnecting at once, each `back` events behind the
 * newest. Measured: time until every client has its `back` events, whether each got exactly
 * that many (and, for a sample of clients, exactly the right ids in order), the server's CPU
 * and peak RSS, and the Redis commands the storm cost per reconnect (`CONFIG RESETSTAT` before,
 * `INFO commandstats` after, commands run inside scripts included).
 */
import { Redis } from "ioredis";
import { REDIS_SERVER_AVAILABLE, withPrivateRedis } from "../../packages/redis-broker/test/support/redis-server.ts";
import { fmt, verdict } from "../lib/stats.ts";
import { readProcStats } from "../loadgen/proc-stats.ts";
import { markerMessage } from "../loadgen/publisher.ts";
import { SseClientPool } from "../loadgen/sse-client-pool.ts";
import { type RunningPeer, startPeer } from "../peers/start-peer.ts";
import type { ReportContext, Scenario, ScenarioContext, ScenarioReport } from "./scenario.ts";
import { verifyResume, type ResumeCheck } from "./storm-verifier.ts";

const FULL_SIZES = [1000, 5000, 10_000] as const;
const QUICK_SIZES = [200, 1000] as const;
const HISTORY = 1000;
const BACK = 500;
/** Clients that parse their whole stream and check every id, each from a different cursor (BACK .. BACK + n - 1 back). */
const VERIFIERS = 20;
const CATCH_UP_TIMEOUT_MS = Number(process.env.STORM_TIMEOUT_MS ?? 120_000);
/** The measuring connection's own commands (and the reader's blocking reads, which are not a reconnect's). */
const IGNORED = new Set(["info", "hello", "config|resetstat", "client|setinfo", "select", "xread"]);

/** What one storm measured. */
export interface StormResult {
  readonly clients: number;
  readonly caughtUp: number;
  /** Markers received by the N clients, against `clients * back` expected. */
  readonly received: number;
  readonly rejected: number;
  /** Streams the server ended with `broker-unavailable` (a resume's read failed or timed out), samples included. */
  readonly cut: number;
  readonly malformed: number;
  /** The sample clients' checks: exactly the ids after their cursor, in order. */
  readonly checks: readonly ResumeCheck[];
  /** From the first connect until every client had an answer (its first bytes). */
  readonly connectSeconds: number;
  /** From the first connect until every client had its `back` events (or the timeout). */
  readonly seconds: number;
  readonly serverCpuSeconds: number;
  /** The restarted server's peak RSS (VmHWM), KiB. */
  readonly peakRssKb: number;
  /** Redis commands of the storm (the N clients and the sample), by name. */
  readonly commands: Readonly<Record<string, number>>;
  readonly commandsPerReconnect: number;
}

async function commandCalls(redis: Redis): Promise<Record<string, number>> {
  const info = String(await redis.info("commandstats"));
  const calls: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (!IGNORED.has(match[1] as string)) calls[match[1] as string] = Number(match[2]);
  }
  return calls;
}

/** The commands once Redis is done with the storm (a timed-out resume's script may still be queued there). */
async function settledCommandCalls(redis: Redis): Promise<Record<string, number>> {
  const total = (calls: Record<string, number>): number => Object.values(calls).reduce((sum, n) => sum + n, 0);
  let last = await commandCalls(redis);
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    await Bun.sleep(200);
    const next = await commandCalls(redis);
    if (total(next) === total(last)) return next;
    last = next;
  }
  return last;
}

async function untilHealthy(peer: RunningPeer): Promise<void> {
  const deadline = performance.now() + 15_000;
  while (performance.now() < deadline) {
    const status = await fetch(`http://127.0.0.1:${peer.port}/healthz`).then((r) => r.status, () => 0);
    if (status === 200) return;
    await Bun.sleep(50);
  }
  throw new Error("the server on --broker redis did not become healthy within 15 s");
}

/** Streams the server ended because the broker could not subscribe them (its resume read failed or timed out). */
async function streamsCut(peer: RunningPeer): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${peer.port}/metrics`).then((r) => r.text(), () => "");
  return Number(/^events_streams_closed_total\{reason="broker-unavailable"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

async function publishHistory(peer: RunningPeer, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let seq = 0; seq < count; seq += 1) {
    const response = await fetch(`http://127.0.0.1:${peer.port}${peer.publishPath}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: markerMessage(seq, 64) }),
    });
    if (!response.ok) throw new Error(`trigger answered ${response.status}`);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

/** One storm of `clients` reconnects on a fresh private Redis. */
export async function runStorm(clients: number, log: (line: string) => void): Promise<StormResult> {
  return await withPrivateRedis(async (redis) => {
    const probe = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    const start = (): Promise<RunningPeer> =>
      startPeer("ours", { maxConnections: clients + VERIFIERS + 100, log, args: ["--broker", "redis", "--redis-url", redis.url, "--redis-stream-key", "bench:storm"] });
    try {
      let peer = await start();
      let ids: string[];
      try {
        await untilHealthy(peer);
        ids = await publishHistory(peer, HISTORY);
      } finally {
        await peer.stop();
      }
      // The node restarts: the new process knows nothing of the history but what Redis holds.
      peer = await start();
      try {
        await untilHealthy(peer);
        const cursor = ids[HISTORY - BACK - 1] as string;
        const before = readProcStats(peer.pid);
        await probe.config("RESETSTAT");
        const t0 = performance.now();
        const checked: ResumeCheck[] = [];
        const checks = Array.from({ length: VERIFIERS }, async (_, k) => {
          const from = HISTORY - BACK - 1 - k;
          const check = await verifyResume(`http://127.0.0.1:${peer.port}${peer.streamPath}`, ids[from] as string, ids.slice(from + 1), CATCH_UP_TIMEOUT_MS);
          checked.push(check);
          return check;
        });
        const pool = await SseClientPool.open({
          host: "127.0.0.1",
          port: peer.port,
          path: peer.streamPath,
          count: clients,
          headers: { "last-event-id": cursor },
          connectConcurrency: clients,
          catchUpTarget: BACK,
          readyTimeoutMs: CATCH_UP_TIMEOUT_MS,
        });
        const connectSeconds = (performance.now() - t0) / 1000;
        try {
          const deadline = t0 + CATCH_UP_TIMEOUT_MS;
          // A stream the server ended (it wrote retry: and ended the body, the socket stays open) will not
          // catch up: stop waiting once every client caught up or was cut.
          let cut = 0;
          const settled = async (): Promise<boolean> => {
            if (pool.counters().caughtUp >= clients) return checked.length === VERIFIERS;
            if (checked.length < VERIFIERS) return false;
            cut = await streamsCut(peer);
            const samplesCut = checked.filter((check) => check.received < check.expected).length;
            return pool.counters().caughtUp + cut - samplesCut >= clients;
          };
          while (!(await settled()) && performance.now() < deadline) await Bun.sleep(10);
          const seconds = (performance.now() - t0) / 1000;
          await Promise.all(checks);
          cut = await streamsCut(peer);
          const after = readProcStats(peer.pid);
          const commands = await settledCommandCalls(probe);
          const total = Object.values(commands).reduce((sum, n) => sum + n, 0);
          const counters = pool.counters();
          return {
            clients,
            caughtUp: counters.caughtUp,
            received: counters.received,
            rejected: counters.rejected,
            cut,
            malformed: counters.malformed,
            checks: await Promise.all(checks),
            connectSeconds,
            seconds,
            serverCpuSeconds: after.cpuSeconds - before.cpuSeconds,
            peakRssKb: after.peakRssKb,
            commands,
            commandsPerReconnect: total / (clients + VERIFIERS),
          };
        } finally {
          pool.close();
        }
      } finally {
        await peer.stop();
      }
    } finally {
      probe.disconnect();
    }
  });
}

/** `storm`: {@link runStorm} at each size, ours only (no peer resumes from a shared Redis history). */
export class StormScenario implements Scenario {
  readonly name = "storm";
  readonly section = "storm";
  readonly repeat = "every round";
  readonly #storms: { round: number; result: StormResult }[] = [];
  /** Why nothing was measured (no redis-server on this machine): a note, not an error, as for the brokers scenario. */
  #missing: string | undefined;

  async run(context: ScenarioContext): Promise<void> {
    const { log } = context;
    if (!REDIS_SERVER_AVAILABLE) {
      this.#missing = "no redis-server on the PATH (the storm starts a private one, so INFO commandstats counts this run alone)";
      log(`storm: not measured: ${this.#missing}`);
      return;
    }
    for (const clients of context.quick ? QUICK_SIZES : FULL_SIZES) {
      log(`round ${context.round + 1}: reconnect storm on Redis, ${clients} clients ${BACK} events back`);
      const result = await runStorm(clients, log);
      const ordered = result.checks.filter((check) => check.exact).length;
      log(
        `  ${result.caughtUp}/${clients} caught up (${result.cut} cut, ${result.rejected} refused) in ${result.seconds.toFixed(2)} s, ${ordered}/${VERIFIERS} sample streams exact, ` +
          `peak RSS ${(result.peakRssKb / 1024).toFixed(1)} MB, ${result.commandsPerReconnect.toFixed(3)} Redis commands per reconnect`,
      );
      this.#storms.push({ round: context.round, result });
    }
  }

  report(_context: ReportContext): ScenarioReport | undefined {
    if (this.#storms.length === 0) {
      if (this.#missing === undefined) return undefined;
      return { lines: ["### Reconnect storm on Redis", "", `Not measured: ${this.#missing}.`], targets: [`Reconnect storm on Redis (issue 19, 6): not measured (${this.#missing})`] };
    }
    const lines = [
      `### Reconnect storm on Redis: N clients reconnect at once after a node restart, ${fmt(BACK)} events back`,
      "",
      `A server node on \`--broker redis\` (a private redis-server, flushed per storm) stores ${fmt(HISTORY)} events through \`POST /events/trigger\`;`,
      `the node restarts (a new process), then N clients connect at once with a Last-Event-ID ${fmt(BACK)} events back, plus ${VERIFIERS} sample`,
      `clients ${fmt(BACK)}-${fmt(BACK + VERIFIERS - 1)} events back that parse their stream and check every id. "exact": the N clients received`,
      `N x ${fmt(BACK)} events in all and every sample got exactly its ids, in order. "answered": every client had the first bytes of its stream. Redis commands: \`INFO commandstats\` after`,
      "`CONFIG RESETSTAT` (commands inside scripts included; the node's blocking XREAD and the measuring connection left out),",
      "divided by the reconnects (N + the samples).",
      "",
      "| round | N | caught up | cut | exact | seconds to all answered | seconds to all caught up | server CPU s | peak RSS MB | Redis commands | per reconnect | by command |",
      "| ---: | ---: | ---: | ---: | :---: | ---: | ---: | ---: | ---: | ---: | ---: | :--- |",
    ];
    for (const { round, result: r } of this.#storms) {
      const total = Object.values(r.commands).reduce((sum, n) => sum + n, 0);
      const byCommand = Object.entries(r.commands)
        .sort(([, a], [, b]) => b - a)
        // "xinfo|stream": a bar would end the table cell.
        .map(([name, n]) => `${name.replaceAll("|", "\\|")} ${fmt(n)}`)
        .join(", ");
      lines.push(
        `| ${round + 1} | ${fmt(r.clients)} | ${fmt(r.caughtUp)}/${fmt(r.clients)} | ${fmt(r.cut)} | ${exact(r) ? "yes" : "**no**"} | ${fmt(r.connectSeconds, 2)} | ${fmt(r.seconds, 2)} | ${fmt(r.serverCpuSeconds, 2)} | ${fmt(r.peakRssKb / 1024, 1)} | ${fmt(total)} | ${fmt(r.commandsPerReconnect, 3)} | ${byCommand} |`,
      );
    }
    const results = this.#storms.map(({ result }) => result);
    const all = results.every((r) => r.caughtUp === r.clients && exact(r));
    const largest = Math.max(...results.map((r) => r.clients));
    const smallest = Math.min(...results.map((r) => r.clients));
    const perReconnect = (size: number): number => Math.max(...results.filter((r) => r.clients === size).map((r) => r.commandsPerReconnect));
    const flat = perReconnect(largest) <= perReconnect(smallest) * 1.1;
    const peak = Math.max(...results.filter((r) => r.clients === largest).map((r) => r.peakRssKb)) / 1024;
    const targets = [
      `Reconnect storm on Redis (issue 19, 6): all ${fmt(largest)} clients caught up, exactly, at every size: ${verdict(all)} (peak server RSS at ${fmt(largest)}: ${fmt(peak, 1)} MB)`,
      `Reconnect storm on Redis: commands per reconnect flat as the storm grows (${fmt(largest)} clients <= 1.1x ${fmt(smallest)}): ${verdict(flat)} (${fmt(perReconnect(smallest), 3)} -> ${fmt(perReconnect(largest), 3)})`,
    ];
    return { lines, targets };
  }
}

function exact(r: StormResult): boolean {
  return r.received === r.clients * BACK && r.malformed === 0 && r.checks.every((check) => check.exact);
}
