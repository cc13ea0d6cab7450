import { COMMAND_FLAGS, COMMANDS, flagSpellings, GLOBAL_FLAGS, METHODS, SERVICE, SHELLS, type FlagSpec, type FlagTable, type Shell } from "./flags.ts";

/** `events-cli completion SHELL`: print the completion script for a shell. */
export interface CompletionCommand {
  readonly kind: "completion";
  readonly shell: Shell;
}

/** The words that fix what follows: a method (with or without `events` before it) or `completion`. */
const COMMAND_WORDS = [...METHODS, "token", "completion"] as const;

/**
 * The completion script for `shell`, built from the flag tables in `flags.ts`: commands
 * (with or without the `events` service word), each command's flags after it, the global
 * flags anywhere, and the shells after `completion`. Values (URLs, messages) are not guessed.
 *
 * @example
 * completionScript("bash"); // eval "$(events-cli completion bash)"
 */
export function completionScript(shell: Shell): string {
  if (shell === "bash") return bashScript();
  if (shell === "zsh") return zshScript();
  return fishScript();
}

/** Every flag spelling that takes a separate value (`--url URL`, `-m TEXT`). */
function valueFlags(): string[] {
  return spellingsWhere((spec) => spec.type === "string");
}

/** Every spelling of a flag whose value is a file (`--batch FILE`): completed with file names. */
function fileFlags(): string[] {
  return spellingsWhere(isFileValue);
}

function isFileValue(spec: FlagSpec): boolean {
  return spec.type === "string" && spec.value === "FILE";
}

/** The spellings of the flags (global and every command's) that `keep` selects, each once. */
function spellingsWhere(keep: (spec: FlagSpec) => boolean): string[] {
  const tables: FlagTable[] = [GLOBAL_FLAGS, ...Object.values(COMMAND_FLAGS)];
  const spellings = tables.flatMap((table) => flagSpellings(Object.fromEntries(Object.entries(table).filter(([, spec]) => keep(spec)))));
  return [...new Set(spellings)];
}

/** `text` inside single quotes for sh, bash, zsh and fish. */
function quote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

function bashScript(): string {
  const global = flagSpellings(GLOBAL_FLAGS).join(" ");
  const cases = Object.entries(COMMAND_FLAGS)
    .map(([method, table]) => `    ${method}) flags="${global} ${flagSpellings(table).join(" ")}" ;;`)
    .join("\n");
  return `# events-cli completion for bash. Load it with: eval "$(events-cli completion bash)"
# or install it: events-cli completion bash > ~/.local/share/bash-completion/completions/events-cli
_events_cli() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local method="" service=0 skip=0 i word flags
  case "$prev" in
    ${fileFlags().join("|")}) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
    ${valueFlags().join("|")}) return 0 ;;
  esac
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if ((skip)); then skip=0; continue; fi
    case "$word" in
      ${valueFlags().join("|")}) skip=1 ;;
      -*) ;;
      ${SERVICE}) service=1 ;;
      ${COMMAND_WORDS.join("|")}) method="$word"; break ;;
    esac
  done
  case "$method" in
${cases}
    *) flags="${global}" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ "$method" == completion ]]; then
    COMPREPLY=($(compgen -W "${SHELLS.join(" ")}" -- "$cur"))
  elif [[ -z "$method" ]] && ((service)); then
    COMPREPLY=($(compgen -W "${METHODS.join(" ")}" -- "$cur"))
  elif [[ -z "$method" ]]; then
    COMPREPLY=($(compgen -W "${Object.keys(COMMANDS).join(" ")}" -- "$cur"))
  fi
  return 0
}
complete -F _events_cli events-cli
`;
}

function zshDescribed(table: FlagTable): string {
  return Object.entries(table)
    .flatMap(([name, spec]) => flagSpellings({ [name]: spec }).map((flag) => quote(`${flag}:${spec.description}`)))
    .join(" ");
}

function zshScript(): string {
  const cases = Object.entries(COMMAND_FLAGS)
    .map(([method, table]) => `    (${method}) flags+=(${zshDescribed(table)}) ;;`)
    .join("\n");
  const commands = Object.entries(COMMANDS)
    .map(([name, description]) => quote(`${name}:${description}`))
    .join(" ");
  const methods = METHODS.map((name) => quote(`${name}:${COMMANDS[name] ?? ""}`)).join(" ");
  return `#compdef events-cli
# events-cli completion for zsh. Load it with: source <(events-cli completion zsh)
# or install it: events-cli completion zsh > "\${fpath[1]}/_events-cli" (then restart zsh)
_events_cli() {
  local method="" service=0 skip=0 i word
  local -a flags commands methods
  case "\${words[CURRENT-1]}" in
    (${fileFlags().join("|")}) _files; return 0 ;;
    (${valueFlags().join("|")}) _message 'value'; return 0 ;;
  esac
  for ((i = 2; i < CURRENT; i++)); do
    word="\${words[i]}"
    if ((skip)); then skip=0; continue; fi
    case "$word" in
      (${valueFlags().join("|")}) skip=1 ;;
      (-*) ;;
      (${SERVICE}) service=1 ;;
      (${COMMAND_WORDS.join("|")}) method="$word"; break ;;
    esac
  done
  flags=(${zshDescribed(GLOBAL_FLAGS)})
  case "$method" in
${cases}
  esac
  commands=(${commands})
  methods=(${methods})
  if [[ "\${words[CURRENT]}" == -* ]]; then
    _describe -t flags 'flag' flags
  elif [[ "$method" == completion ]]; then
    compadd ${SHELLS.join(" ")}
  elif [[ -z "$method" ]] && ((service)); then
    _describe -t commands 'method' methods
  elif [[ -z "$method" ]]; then
    _describe -t commands 'command' commands
  fi
}
if [[ "\${funcstack[1]}" == _events_cli ]]; then
  _events_cli "$@"
else
  compdef _events_cli events-cli
fi
`;
}

function fishFlags(table: FlagTable, condition: string | undefined): string[] {
  return Object.entries(table).map(([name, spec]) => {
    const parts = ["complete -c events-cli"];
    if (condition !== undefined) parts.push(`-n ${quote(condition)}`);
    if (spec.short !== undefined) parts.push(`-s ${spec.short}`);
    parts.push(`-l ${name}`);
    // -x: a value, not a file name (the script turns file names off with -f); -r -F: a file name.
    if (spec.type === "string") parts.push(isFileValue(spec) ? "-r -F" : "-x");
    parts.push(`-d ${quote(spec.description)}`);
    return parts.join(" ");
  });
}

function fishScript(): string {
  const methodFlags = Object.entries(COMMAND_FLAGS).flatMap(([method, table]) => fishFlags(table, `__events_cli_method_is ${method}`));
  const commands = Object.entries(COMMANDS).map(
    ([name, description]) => `complete -c events-cli -n '__events_cli_needs_command' -a ${name} -d ${quote(description)}`,
  );
  const methods = METHODS.map((name) => `complete -c events-cli -n '__events_cli_needs_method' -a ${name} -d ${quote(COMMANDS[name] ?? "")}`);
  return `# events-cli completion for fish. Load it with: events-cli completion fish | source
# or install it: events-cli completion fish > ~/.config/fish/completions/events-cli.fish
function __events_cli_method
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for token in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        switch $token
            case ${valueFlags().map(quote).join(" ")}
                set skip 1
            case ${COMMAND_WORDS.join(" ")}
                echo $token
                return 0
        end
    end
    return 1
end
function __events_cli_method_is
    set -l method (__events_cli_method)
    test "$method" = "$argv[1]"
end
function __events_cli_has_service
    set -l tokens (commandline -opc)
    contains -- ${SERVICE} $tokens[2..-1]
end
function __events_cli_needs_command
    not __events_cli_method >/dev/null; and not __events_cli_has_service
end
function __events_cli_needs_method
    not __events_cli_method >/dev/null; and __events_cli_has_service
end
complete -c events-cli -f
${commands.join("\n")}
${methods.join("\n")}
complete -c events-cli -n '__events_cli_method_is completion' -a ${quote(SHELLS.join(" "))}
${fishFlags(GLOBAL_FLAGS, undefined).join("\n")}
${methodFlags.join("\n")}
`;
}
