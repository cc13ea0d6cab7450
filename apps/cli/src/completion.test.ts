import { describe, expect, test } from "vitest";
import { completionScript } from "./completion.ts";
import { COMMAND_FLAGS, flagSpellings, GLOBAL_FLAGS, METHOD_FLAGS, SHELLS } from "./flags.ts";

describe("completionScript", () => {
  test("names every command and every flag in each shell's script", () => {
    const flags = [GLOBAL_FLAGS, ...Object.values(COMMAND_FLAGS)].flatMap((table) => Object.keys(table));
    for (const shell of SHELLS) {
      const script = completionScript(shell);
      for (const word of ["trigger", "stream", "publish", "token", "events", "completion"]) expect(script).toContain(word);
      for (const flag of flags) expect(script).toContain(shell === "fish" ? `-l ${flag}` : `--${flag}`);
    }
  });

  test("registers itself for events-cli", () => {
    expect(completionScript("bash")).toContain("complete -F _events_cli events-cli");
    expect(completionScript("zsh").startsWith("#compdef events-cli\n")).toBe(true);
    expect(completionScript("fish")).toContain("complete -c events-cli -f");
  });

  test("quotes descriptions with an apostrophe for the shell", () => {
    expect(completionScript("fish")).toContain(`-d 'the event'\\''s type'`);
    expect(completionScript("zsh")).toContain(`'--event:the event'\\''s type'`);
  });

  test("completes file names after --batch FILE, and nothing after the other string flags", () => {
    expect(completionScript("bash")).toContain('--batch) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;');
    expect(completionScript("zsh")).toContain("(--batch) _files; return 0 ;;");
    expect(completionScript("fish")).toContain("-l batch -r -F -d ");
    expect(completionScript("fish")).toContain("-l data -x -d ");
  });

  test("gives bash each method's own flags after the global ones", () => {
    const global = flagSpellings(GLOBAL_FLAGS).join(" ");
    expect(completionScript("bash")).toContain(`stream) flags="${global} ${flagSpellings(METHOD_FLAGS.stream).join(" ")}" ;;`);
    expect(completionScript("bash")).toContain(`token) flags="${global} ${flagSpellings(COMMAND_FLAGS.token).join(" ")}" ;;`);
  });
});
