import { EventsClientError, type UntypedPublishInput } from "@events/client-sdk";
import { parseBatchItems, type BatchItem } from "../batch-items.ts";
import { createCliClient } from "../cli-client.ts";
import { describeFailure } from "../failure.ts";
import type { GlobalOptions } from "../global-options.ts";
import type { CliIo } from "../io.ts";
import { formatPublishResult } from "../output.ts";
import { UsageError } from "../usage-error.ts";

/** `events publish --batch FILE|-`: what the command line asked for. */
export interface PublishBatchCommand {
  readonly kind: "publish-batch";
  readonly global: GlobalOptions;
  /** Where the publish bodies are: a file, or stdin for `--batch -`. */
  readonly source: { readonly from: "file"; readonly path: string } | { readonly from: "stdin" };
  /** Print the answer array as one JSON line. */
  readonly json: boolean;
}

/** How to say a file that cannot be read, by the runtime's error code. */
const READ_REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EISDIR: "it is a directory",
  EACCES: "permission denied",
};

/**
 * `events publish --batch`: POST the file's publish bodies as one array (stored all or none,
 * with consecutive ids) and print one line per event, in order (or the JSON answer array).
 * Returns the exit status: 0 on success, 1 when the server fails or cannot be reached.
 * Throws `UsageError` for a file that cannot be read, is not JSON or holds no events, and
 * for an item the SDK refuses (naming `inputs[i]` and its line or element).
 */
export async function runPublishBatch(command: PublishBatchCommand, io: CliIo): Promise<number> {
  const { global, source } = command;
  const name = source.from === "stdin" ? "stdin (--batch -)" : `--batch ${source.path}`;
  const text = source.from === "stdin" ? await io.readStdin() : await readBatchFile(io, source.path);
  const items = parseBatchItems(text, name);
  const client = createCliClient(global, io);
  try {
    // Each item is checked by the SDK before anything is sent (INVALID_OPTION, below).
    const results = await client.publish(items.map((item) => item.value as UntypedPublishInput));
    const lines = command.json ? [JSON.stringify(results)] : results.map(formatPublishResult);
    await io.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } catch (error) {
    if (error instanceof EventsClientError && error.code === "INVALID_OPTION") throw new UsageError(describeRefusedItem(error.message, items, name), "events publish");
    await io.stderr.write(`events-cli: ${describeFailure(error, "events publish", global.url)}\n`);
    return 1;
  }
}

async function readBatchFile(io: CliIo, path: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const reason = (typeof code === "string" ? READ_REASONS[code] : undefined) ?? (error instanceof Error ? error.message : String(error));
    throw new UsageError(`cannot read --batch ${path}: ${reason}`, "events publish");
  }
}

/** `--batch FILE: inputs[2] (line 4): topic must...`: the SDK names the item by index, the file by line or element. */
function describeRefusedItem(message: string, items: readonly BatchItem[], name: string): string {
  const index = /^inputs\[(\d+)\]/.exec(message)?.[1];
  const origin = index === undefined ? undefined : items[Number(index)]?.origin;
  const located = origin === undefined ? message : message.replace(/^inputs\[\d+\]/, (prefix) => `${prefix} (${origin})`);
  return `${name}: ${located}`;
}
