/**
 * Counts another process's socket-write system calls with `strace -c` (Linux; strace must be
 * installed and allowed to attach). strace slows the traced process a lot, so a scenario counts
 * in windows of its own, never while it times anything.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The calls a server writes to a socket with. */
const WRITE_CALLS = ["write", "writev", "sendto", "sendmsg", "send"] as const;

/** A running count; {@link stop} ends it and answers the calls per name. */
export interface SyscallCount {
  stop(): Promise<Readonly<Record<string, number>>>;
}

/**
 * Attaches `strace -c -f` to `pid` (every thread) counting the write calls; resolves once it is
 * attached. Throws with strace's own reason when it cannot attach (not installed, ptrace refused).
 */
export async function countSocketWrites(pid: number): Promise<SyscallCount> {
  const dir = mkdtempSync(join(tmpdir(), "bench-strace-"));
  const output = join(dir, "counts.txt");
  const child = Bun.spawn(["strace", "-c", "-f", "-e", `trace=${WRITE_CALLS.join(",")}`, "-o", output, "-p", String(pid)], {
    stdout: "ignore",
    stderr: "pipe",
  });
  // strace says "Process N attached" on stderr once per thread; the first one is enough to start.
  const reader = child.stderr.getReader();
  let said = "";
  // Attaching to a process with thousands of sockets on a loaded machine can take seconds.
  const deadline = performance.now() + 20_000;
  while (!said.includes("attached") && performance.now() < deadline) {
    const chunk = await Promise.race([reader.read(), Bun.sleep(100).then(() => undefined)]);
    if (chunk?.value !== undefined) said += new TextDecoder().decode(chunk.value);
    if (child.exitCode !== null || chunk?.done === true) break;
  }
  if (!said.includes("attached")) {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`strace could not attach to ${pid}: ${said.trim().split("\n")[0] || (child.exitCode === null ? "no answer within 20 s" : `exit ${child.exitCode}`)}`);
  }
  // Every thread attached: strace announces them one after another at once.
  await Bun.sleep(200);
  void reader.cancel().catch(() => undefined);
  return {
    async stop() {
      child.kill("SIGINT");
      await child.exited;
      const text = readFileSync(output, "utf8");
      rmSync(dir, { recursive: true, force: true });
      return parseStraceSummary(text);
    },
  };
}

/** The `calls` column of a `strace -c` summary, by system call name. */
export function parseStraceSummary(text: string): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const line of text.split("\n")) {
    // "% time     seconds  usecs/call     calls    errors syscall": errors may be blank.
    const fields = line.trim().split(/\s+/);
    const name = fields.at(-1);
    if (name === undefined || !(WRITE_CALLS as readonly string[]).includes(name)) continue;
    const count = Number(fields[3]);
    if (Number.isFinite(count)) calls[name] = count;
  }
  return calls;
}
