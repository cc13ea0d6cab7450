#!/usr/bin/env bun
/**
 * Entry of the `events-cli` binary (`bun build --compile` starts here): run the command
 * line against the real process, then exit with its status once stdout and stderr are
 * flushed (an SDK timer or a signal listener must not keep the process alive).
 */
import { runCli } from "./cli.ts";
import { processIo } from "./io.ts";

const io = processIo();
const status = await runCli(process.argv.slice(2), io);
await Promise.all([io.stdout.write(""), io.stderr.write("")]);
process.exit(status);
