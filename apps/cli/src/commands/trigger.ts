import type { FromStdin } from "../args.ts";
import { createCliClient } from "../cli-client.ts";
import { describeFailure } from "../failure.ts";
import type { GlobalOptions } from "../global-options.ts";
import type { CliIo } from "../io.ts";
import { formatTriggerResult } from "../output.ts";

/** `events trigger`: what the command line asked for. */
export interface TriggerCommand {
  readonly kind: "trigger";
  readonly global: GlobalOptions;
  /** The message, or `--message -` (read from stdin when the command runs). */
  readonly message: string | FromStdin;
  /** Print the answer as one JSON line. */
  readonly json: boolean;
}

/**
 * `events trigger`: POST the message, print the server's status (or its JSON answer).
 * `--message -` sends stdin, less one final line break (what `echo` adds).
 * Returns the exit status: 0 on success, 1 when the server fails or cannot be reached.
 */
export async function runTrigger(command: TriggerCommand, io: CliIo): Promise<number> {
  const { global } = command;
  const message = typeof command.message === "string" ? command.message : (await io.readStdin()).replace(/\r?\n$/, "");
  const client = createCliClient(global, io);
  try {
    const result = await client.trigger(message);
    await io.stdout.write(`${command.json ? JSON.stringify(result) : formatTriggerResult(result)}\n`);
    return 0;
  } catch (error) {
    await io.stderr.write(`events-cli: ${describeFailure(error, "events trigger", global.url)}\n`);
    return 1;
  }
}
