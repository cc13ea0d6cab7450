import packageJson from "../package.json" with { type: "json" };
import { parseCommandLine } from "./args.ts";
import { completionScript } from "./completion.ts";
import { helpText, usageText } from "./help.ts";
import type { CliIo } from "./io.ts";
import { UsageError } from "./usage-error.ts";

/** The version `--version` prints: the package's. */
export const CLI_VERSION: string = packageJson.version;

/**
 * Runs one command line (without the program name) and returns its exit status:
 * 0 success, 1 the server failed or could not be reached, 2 usage error.
 *
 * @example
 * const status = await runCli(["trigger", "-m", "hi"], processIo());
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: ReturnType<typeof parseCommandLine>;
  try {
    command = parseCommandLine(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return await usageFailure(error, io);
  }
  if (command.kind === "help") {
    await io.stdout.write(helpText(command.topic));
    return 0;
  }
  if (command.kind === "version") {
    await io.stdout.write(`events-cli ${CLI_VERSION}\n`);
    return 0;
  }
  if (command.kind === "completion") {
    await io.stdout.write(completionScript(command.shell));
    return 0;
  }
  try {
    // Loaded on demand: --help and --version start without evaluating the SDK.
    if (command.kind === "trigger") return await (await import("./commands/trigger.ts")).runTrigger(command, io);
    if (command.kind === "publish") return await (await import("./commands/publish.ts")).runPublish(command, io);
    if (command.kind === "publish-batch") return await (await import("./commands/publish-batch.ts")).runPublishBatch(command, io);
    if (command.kind === "token") return await (await import("./commands/token.ts")).runToken(command, io);
    return await (await import("./commands/stream.ts")).runStream(command, io);
  } catch (error) {
    // Input only a command can check (stdin data, topic rules from the SDK): still status 2.
    if (error instanceof UsageError) return await usageFailure(error, io);
    // A bug, not a server failure: still one line and status 1, never a stack trace.
    await io.stderr.write(`events-cli: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** Prints a usage error and the usage of its command on stderr; the exit status is 2. */
async function usageFailure(error: UsageError, io: CliIo): Promise<number> {
  await io.stderr.write(`events-cli: ${error.message}\n\n${usageText(error.topic)}`);
  return 2;
}
