import { EventsClientError } from "@events/client-sdk";
import { parsePublishData } from "../args.ts";
import type { GlobalOptions } from "../global-options.ts";
import { UsageError } from "../usage-error.ts";
import { createCliClient } from "../cli-client.ts";
import { describeFailure } from "../failure.ts";
import type { CliIo } from "../io.ts";
import { formatPublishResult } from "../output.ts";

/** `events publish`: what the command line asked for. */
export interface PublishCommand {
  readonly kind: "publish";
  readonly global: GlobalOptions;
  /** `--topic`, repeated: one or more topic names. */
  readonly topics: readonly string[];
  /** `--event`: the event type; undefined = the server's default, `message`. */
  readonly event: string | undefined;
  /** `--data`: the parsed JSON value, or `--data -` (read and parsed when the command runs). */
  readonly data: { readonly from: "flag"; readonly value: unknown } | { readonly from: "stdin" };
  /** Print the answer as one JSON line. */
  readonly json: boolean;
}

/**
 * `events publish`: POST one event to its topics, print where it went (or the JSON answer).
 * Returns the exit status: 0 on success, 1 when the server fails or cannot be reached.
 * Throws `UsageError` for stdin data that is not JSON, a topic that is not a topic name,
 * or an event name the SDK refuses.
 */
export async function runPublish(command: PublishCommand, io: CliIo): Promise<number> {
  const { global } = command;
  const data = command.data.from === "flag" ? command.data.value : parsePublishData(await io.readStdin(), "stdin (--data -)");
  const client = createCliClient(global, io);
  const [first, ...others] = command.topics;
  const target = others.length === 0 && first !== undefined ? { topic: first } : { topics: command.topics };
  try {
    const result = await client.publish({ ...target, ...(command.event === undefined ? {} : { event: command.event }), data });
    await io.stdout.write(`${command.json ? JSON.stringify(result) : formatPublishResult(result)}\n`);
    return 0;
  } catch (error) {
    // The SDK checks topics and the event name with the server's rules before sending.
    if (error instanceof EventsClientError && error.code === "INVALID_OPTION") throw new UsageError(error.message.replace(/^topics?: /, "--topic: ").replace(/^event: /, "--event: "), "events publish");
    await io.stderr.write(`events-cli: ${describeFailure(error, "events publish", global.url)}\n`);
    return 1;
  }
}
