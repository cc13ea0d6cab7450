// Runs a command to completion with a deadline and hands back its exit status and output,
// so a failing step can print exactly what the tool said.
export interface RunResult {
  readonly ok: boolean;
  /** Standard output alone. */
  readonly stdout: string;
  /** Standard output then standard error. */
  readonly output: string;
  readonly ms: number;
}

export interface RunOptions {
  readonly cwd: string;
  /** @default 120000 */
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs `cmd` in `cwd`; never throws for a non-zero exit (see `ok`). */
export function run(cmd: readonly string[], options: RunOptions): RunResult {
  const started = performance.now();
  const child = Bun.spawnSync([...cmd], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
    stdout: "pipe",
    stderr: "pipe",
    timeout: options.timeoutMs ?? 120_000,
  });
  const stdout = child.stdout.toString();
  const output = `${stdout}${child.stderr.toString()}`;
  const timedOut = child.exitCode === null || child.signalCode !== null;
  return {
    ok: child.exitCode === 0,
    stdout,
    output: timedOut ? `${output}\n(${cmd.join(" ")}: killed after ${options.timeoutMs ?? 120_000} ms)` : output,
    ms: performance.now() - started,
  };
}

/** Like `run`, but throws with the command's output when it fails. */
export function runOrThrow(cmd: readonly string[], options: RunOptions): RunResult {
  const result = run(cmd, options);
  if (!result.ok) throw new Error(`${cmd.join(" ")} (in ${options.cwd}) failed:\n${result.output.trim()}`);
  return result;
}
