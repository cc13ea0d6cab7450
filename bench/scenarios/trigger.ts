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

/**
 * Runs `concurrency` connections for `durationMs` after a warm-up as long (at most 2 s): a
 * fresh server's JIT is still compiling the request path for the first second or two, and
 * the figure wanted is the steady state of a running server, for every peer alike.
 */
export async function runTrigger(peer: RunningPeer, concurrency: number, durationMs: number): Promise<TriggerResult> {
  const load = {
    host: "127.0.0.1",
    port: peer.port,
    method: "POST",
    path: peer.publishPath,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message: "hello from the trigger benchmark, a message of about sixty-four b" }),
    concurrency,
  };
  await runHttpLoad({ ...load, durationMs: Math.min(2000, durationMs) });
  const before = readProcStats(peer.pid);
  const result = await runHttpLoad({ ...load, durationMs });
  const cpu = readProcStats(peer.pid).cpuSeconds - before.cpuSeconds;
  return {
    requestsPerSecond: result.requestsPerSecond,
    requestsPerCpuSecond: cpu > 0 ? result.ok / cpu : Number.NaN,
    ok: result.ok,
    errors: result.errors,
    serverCpuSeconds: cpu,
  };
}
