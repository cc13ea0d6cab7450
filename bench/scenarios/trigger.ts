/**
 * Trigger throughput with no subscribers: closed-loop POSTs of `{"message": ...}` at a fixed
 * concurrency, requests per second and per server CPU-second.
 */
import { runHttpLoad } from "../loadgen/http-load.ts";
import { readProcStats } from "../loadgen/proc-stats.ts";
import type { RunningPeer } from "../peers/start-peer.ts";

/** What one trigger run measured. */
export interface TriggerResult {
  readonly requestsPerSecond: number;
  readonly requestsPerCpuSecond: number;
  readonly ok: number;
  readonly errors: number;
  readonly serverCpuSeconds: number;
}

/** How {@link runTriggerPaired} loads the peers. */
export interface TriggerLoadOptions {
  /** Connections per peer, each with one request in flight. */
  readonly concurrency: number;
  /** Measured time per peer, in ms, split into `windows` alternating windows. */
  readonly durationMs: number;
  /** How many windows each peer's time is split into. @default 6 */
  readonly windows?: number;
}

const MESSAGE = JSON.stringify({ message: "hello from the trigger benchmark, a message of about sixty-four b" });

function loadFor(peer: RunningPeer, concurrency: number, durationMs: number) {
  return runHttpLoad({
    host: "127.0.0.1",
    port: peer.port,
    method: "POST",
    path: peer.publishPath,
    headers: { "content-type": "application/json" },
    body: MESSAGE,
    concurrency,
    durationMs,
  });
}

/**
 * Measures several running peers in short windows that alternate between them (A B B A A B
 * ...), so a change in the machine's speed during the run (the cores are shared; loopback
 * figures drift by ±10% over tens of seconds here) falls on every peer alike instead of on
 * whichever ran during it. Each peer first gets a warm-up as long as its share (at most 2 s):
 * a fresh server's JIT is still compiling the request path for the first second or two, and
 * the figure wanted is the steady state of a running server, for every peer alike.
 */
export async function runTriggerPaired(peers: readonly RunningPeer[], options: TriggerLoadOptions): Promise<Map<RunningPeer, TriggerResult>> {
  const windows = options.windows ?? 6;
  const windowMs = options.durationMs / windows;
  for (const peer of peers) await loadFor(peer, options.concurrency, Math.min(2000, options.durationMs));
  const totals = new Map(peers.map((peer) => [peer, { ok: 0, errors: 0, elapsedMs: 0, cpu: 0 }]));
  for (let window = 0; window < windows; window++) {
    // Reversed every other window: each peer runs first as often as last.
    const order = window % 2 === 0 ? peers : [...peers].reverse();
    for (const peer of order) {
      const before = readProcStats(peer.pid).cpuSeconds;
      const result = await loadFor(peer, options.concurrency, windowMs);
      const total = totals.get(peer) as { ok: number; errors: number; elapsedMs: number; cpu: number };
      total.cpu += readProcStats(peer.pid).cpuSeconds - before;
      total.ok += result.ok;
      total.errors += result.errors;
      total.elapsedMs += result.elapsedMs;
    }
  }
  const results = new Map<RunningPeer, TriggerResult>();
  for (const [peer, total] of totals) {
    results.set(peer, {
      requestsPerSecond: total.ok / (total.elapsedMs / 1000),
      requestsPerCpuSecond: total.cpu > 0 ? total.ok / total.cpu : Number.NaN,
      ok: total.ok,
      errors: total.errors,
      serverCpuSeconds: total.cpu,
    });
  }
  return results;
}
