import { createEventsClient } from "@events/client-sdk";
import type { GlobalOptions } from "../args.ts";
import { createCliFetch } from "../cli-fetch.ts";
import { describeFailure } from "../failure.ts";
import type { CliIo } from "../io.ts";
import { formatTriggerResult } from "../output.ts";

/** `events trigger`: what the command line asked for. */
export interface TriggerCommand {
  readonly kind: "trigger";
  readonly global: GlobalOptions;
  readonly message: string;
  /** Print the answer as one JSON line. */
  readonly json: boolean;
}

/**
 * `events trigger`: POST the message, print the server's status (or its JSON answer).
 * Returns the exit status: 0 on success, 1 when the server fails or cannot be reached.
 */
export async function runTrigger(command: TriggerCommand, io: CliIo): Promise<number> {
  const { global } = command;
  const log = global.verbose ? (line: string): void => void io.stderr.write(`${line}\n`) : undefined;
  const client = createEventsClient(global.url, {
    ...(global.token === undefined ? {} : { token: global.token }),
    fetch: createCliFetch({ fetch: io.fetch, timeoutMs: global.timeoutMs, log }),
  });
  try {
    const result = await client.trigger(command.message);
    await io.stdout.write(`${command.json ? JSON.stringify(result) : formatTriggerResult(result)}\n`);
    return 0;
  } catch (error) {
    await io.stderr.write(`events-cli: ${describeFailure(error, "events trigger", global.url)}\n`);
    return 1;
  }
}
