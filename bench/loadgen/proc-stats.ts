/**
 * CPU time and memory of another process, read from `/proc/<pid>/stat` and `/proc/<pid>/status`
 * (Linux only).
 */
import { readFileSync } from "node:fs";

/** One reading of a process's counters. */
export interface ProcStats {
  /** User + system CPU time since the process started, in seconds. */
  readonly cpuSeconds: number;
  /** Resident set size now, in KiB (`VmRSS`). */
  readonly rssKb: number;
  /** Peak resident set size since the process started, in KiB (`VmHWM`). */
  readonly peakRssKb: number;
}

let clockTicks: number | undefined;

/** `getconf CLK_TCK`: the unit of utime/stime in /proc/<pid>/stat (100 on every common Linux). */
function ticksPerSecond(): number {
  if (clockTicks !== undefined) return clockTicks;
  const out = Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim();
  const parsed = Number.parseInt(out, 10);
  clockTicks = Number.isFinite(parsed) && parsed > 0 ? parsed : 100;
  return clockTicks;
}

function statusKb(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

/** Reads the counters of `pid`. Throws if the process is gone. */
export function readProcStats(pid: number): ProcStats {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  // The command name (field 2) is in parentheses and may contain spaces: split after it.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 (utime) and 15 (stime), counted from 1, are at 11 and 12 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, "latin1");
  return { cpuSeconds: ticks / ticksPerSecond(), rssKb: statusKb(status, "VmRSS"), peakRssKb: statusKb(status, "VmHWM") };
}
