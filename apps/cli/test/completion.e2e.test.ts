import { dirname } from "node:path";
import { describe, expect, test } from "vitest";
import { CLI_BINARY, cleanEnv, requireBinary } from "./harness.ts";

/** Runs `script` in `shell` with the binary's folder first on PATH; returns stdout (throws on a failure). */
function runShell(shell: string, args: readonly string[], script: string): string {
  requireBinary();
  const env = cleanEnv({ PATH: `${dirname(CLI_BINARY)}:${process.env.PATH ?? "/usr/bin:/bin"}` });
  // In this folder, so a file name completes to a known file (harness.ts).
  const result = Bun.spawnSync([shell, ...args, script], { env, cwd: import.meta.dir, stdout: "pipe", stderr: "pipe" });
  const stderr = result.stderr.toString();
  if (result.exitCode !== 0) throw new Error(`${shell} exited ${result.exitCode}: ${stderr}`);
  return result.stdout.toString();
}

/** Each case: the words typed so far (the last one being completed) and the candidates expected. */
const CASES: Array<[string[], string[]]> = [
  [["events-cli", "tr"], ["trigger"]],
  [["events-cli", "events", ""], ["trigger", "stream", "publish"]],
  [["events-cli", "trigger", "--mes"], ["--message"]],
  [["events-cli", "--url", "http://x", "stream", "--r"], ["--raw"]],
  [["events-cli", "-H", "stream", "publish", "--d"], ["--data"]],
  [["events-cli", "completion", ""], ["bash", "zsh", "fish"]],
  [["events-cli", "to"], ["token"]],
  [["events-cli", "token", "--secret", "-", "--su"], ["--subscribe", "--sub"]],
  [["events-cli", "publish", "--b"], ["--batch"]],
  [["events-cli", "publish", "--batch", "harn"], ["harness.ts"]],
  [["events-cli", "publish", "--batch", "b.json", "--j"], ["--json"]],
];

const has = (shell: string): boolean => Bun.which(shell) !== null;
/** Skip a shell only where it is missing and not required (CI sets REQUIRE_SHELLS=1: a missing shell fails there). */
const skipShell = (shell: string): boolean => {
  if (has(shell)) return false;
  if (process.env.REQUIRE_SHELLS === "1") return false;
  console.warn(`skipping the ${shell} completion test: ${shell} is not installed (set REQUIRE_SHELLS=1 to require it)`);
  return true;
};

describe("events-cli completion (compiled binary, real shells)", () => {
  test("bash completes commands, methods after events, each command's flags and the shells", () => {
    const lines = CASES.map(([words]) => `c ${words.map((word) => `'${word}'`).join(" ")}`);
    const script = `source <(events-cli completion bash)
c() { COMP_WORDS=("$@"); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _events_cli; echo "\${COMPREPLY[*]}"; }
${lines.join("\n")}`;
    const output = runShell("bash", ["-c"], script).trimEnd().split("\n");
    expect(output.map((line) => line.split(" ").filter(Boolean).sort())).toEqual(CASES.map(([, expected]) => [...expected].sort()));
  });

  // zsh and fish are not on every machine (bash is): these run where they are installed, and always in CI.
  test.skipIf(skipShell("fish"))("fish completes the same, with descriptions", () => {
    const lines = CASES.map(([words]) => `complete -C ${JSON.stringify(words.join(" "))}; echo ---`);
    const output = runShell("fish", ["-c"], `events-cli completion fish | source\n${lines.join("\n")}`);
    const answers = output.split("---\n").slice(0, -1).map((block) => block.split("\n").filter(Boolean).map((line) => line.split("\t")[0] ?? ""));
    expect(answers.map((words) => words.sort())).toEqual(CASES.map(([, expected]) => [...expected].sort()));
  });

  test.skipIf(skipShell("zsh"))("zsh offers the candidates for each position (the completion system's builtins stubbed)", () => {
    const stubs = `_describe() { local arr=\${@[-1]} x; for x in "\${(@P)arr}"; do print -r -- "\${x%%:*}"; done }
compadd() { print -rl -- "$@" }
_message() { : }
_files() { print -rl -- *(N) }
compdef() { : }`;
    const lines = CASES.map(([words]) => `words=(${words.map((word) => `'${word}'`).join(" ")}); CURRENT=\${#words}; _events_cli; print -- ---`);
    const output = runShell("zsh", ["-c"], `${stubs}\nsource <(events-cli completion zsh)\n${lines.join("\n")}`);
    const answers = output.split("---\n").slice(0, -1).map((block) => block.split("\n").filter(Boolean));
    // The stubs do not filter by what was typed (zsh's matcher does): each expected candidate is offered.
    CASES.forEach(([, expected], index) => {
      for (const candidate of expected) expect(answers[index]).toContain(candidate);
    });
    expect(answers[1]).toEqual(["trigger", "stream", "publish"]);
    expect(answers[5]).toEqual(["bash", "zsh", "fish"]);
  });
});
