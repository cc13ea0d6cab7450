import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { readProcStats } from "./proc-stats.ts";

/** utime + stime of `pid` from /proc, in seconds (the kernel's ticks: the clock the CPU clock must agree with). */
function procTicksSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Spins for `ms` of wall clock: CPU time the readings must see. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x += Math.sqrt(x + 1);
  if (x < 0) throw new Error("unreachable");
}

describe("readProcStats", () => {
  test("reads a child's CPU time to below a tick, in step with the kernel's own count, and its memory", async () => {
    // A child that burns ~300 ms of CPU, then waits to be read.
    const child = Bun.spawn(["bun", "-e", "const t = performance.now() + 300; let x = 0; while (performance.now() < t) x++; await Bun.sleep(10000);"], { stdout: "ignore" });
    try {
      await Bun.sleep(1500);
      const stats = readProcStats(child.pid);
      const ticks = procTicksSeconds(child.pid);
      // The CPU clock counts to the nanosecond: not a whole number of 10 ms ticks (the fallback's unit).
      const ticksPart = stats.cpuSeconds * 100;
      expect(Math.abs(ticksPart - Math.round(ticksPart))).toBeGreaterThan(1e-6);
      expect(stats.cpuSeconds).toBeGreaterThan(0.25);
      // The same time as the kernel's tick count, within a few ticks (both count user + system, all threads).
      expect(Math.abs(stats.cpuSeconds - ticks)).toBeLessThan(0.1);
      expect(stats.rssKb).toBeGreaterThan(1000);
      expect(stats.peakRssKb).toBeGreaterThanOrEqual(stats.rssKb);
    } finally {
      child.kill();
      await child.exited;
    }
  });

  test("moves with this process's own CPU use", () => {
    const before = readProcStats(process.pid).cpuSeconds;
    spin(200);
    const spent = readProcStats(process.pid).cpuSeconds - before;
    expect(spent).toBeGreaterThan(0.15);
    expect(spent).toBeLessThan(1);
  });

  test("throws for a process that is gone", async () => {
    const child = Bun.spawn(["true"]);
    await child.exited;
    // Reaped: no /proc entry is left to read.
    expect(() => readProcStats(child.pid)).toThrow();
  });
});
