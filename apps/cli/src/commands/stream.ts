import { EventsClientError, type EventStream, type ReconnectReason, type StreamStatus } from "@events/client-sdk";
import type { GlobalOptions } from "../global-options.ts";
import { UsageError } from "../usage-error.ts";
import { createCliClient } from "../cli-client.ts";
import { formatDuration } from "../duration.ts";
import { describeFailure } from "../failure.ts";
import type { CliIo } from "../io.ts";
import { escapeControl, escapeFrameForTerminal, formatEventJson, formatEventLine, shouldUseColor } from "../output.ts";
import { RawFramePrinter } from "../raw-frames.ts";
import { ReplayTracker } from "../replay-tracker.ts";

/** `events stream`: what the command line asked for. */
export interface StreamCommand {
  readonly kind: "stream";
  readonly global: GlobalOptions;
  /** The topics and patterns to follow (`--topic`, repeated); undefined = the server's default topic. */
  readonly topics: readonly string[] | undefined;
  /** Resume after this id. */
  readonly lastEventId: string | undefined;
  /** Exit after this many events other than `connected` and `gap`; undefined = follow until stopped. */
  readonly count: number | undefined;
  /** NDJSON instead of human lines. */
  readonly json: boolean;
  /** The SSE frames as received instead of human lines (not with `json`). @default false */
  readonly raw?: boolean;
}

/**
 * `events stream`: print events as they arrive and resume after drops (saying so on
 * stderr). A first connection that fails, or does not answer within `--timeout` (the
 * CLI's fetch bounds every attempt), ends the command with status 1: the server is not
 * there or the URL is wrong. After that, drops are retried for as long as it runs.
 * Returns 0 on `--count`, Ctrl-C, SIGTERM, a closed stdout or the server ending the
 * stream; 1 when the server fails or cannot be reached. Throws `UsageError` for a `--topic`
 * that is not a topic or pattern.
 */
export async function runStream(command: StreamCommand, io: CliIo): Promise<number> {
  const { global } = command;
  // Lines carry ids the server chose: escaped like everything else the server says.
  const say = (line: string): void => void io.stderr.write(`events-cli: ${escapeControl(line)}\n`);
  const log = global.verbose ? (line: string): void => void io.stderr.write(`${line}\n`) : undefined;
  const color = !command.json && shouldUseColor(io.stdoutIsTty, io.env);
  // Raw frames go out byte for byte to a pipe; on a terminal, controls are escaped like everything else.
  const raw = command.raw === true ? new RawFramePrinter((text) => io.stdout.write(io.stdoutIsTty ? escapeFrameForTerminal(text) : text)) : undefined;
  const replay = new ReplayTracker();
  // Aborting it ends the stream at once, also a pending read or a backoff wait.
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  let failure: unknown;
  let opened = false;
  let lastPrintedId = command.lastEventId;

  const onStatus = (status: StreamStatus): void => {
    log?.(`* stream ${status.state}${"attempt" in status ? ` (attempt ${status.attempt})` : ""}`);
    if (status.state === "open") {
      if (opened) say(`reconnected${lastPrintedId === undefined ? "" : `, resuming after id ${lastPrintedId}`}`);
      opened = true;
    } else if (status.state === "reconnecting") {
      const why = describeReconnect(status, global.url);
      if (!opened) {
        failure ??= why.error;
        return stop();
      }
      const from = lastPrintedId === undefined ? "" : ` after id ${lastPrintedId}`;
      say(`connection lost (${why.text}); resuming${from} in ${formatDuration(status.delayMs)}`);
    } else if (status.state === "closed" && status.error !== undefined) {
      failure ??= status.error;
    }
  };

  const client = createCliClient(global, io, { onStatus, ...(raw === undefined ? {} : { wrapFetch: (fetch) => raw.wrapFetch(fetch) }) });
  let stream: EventStream<{ readonly type: string; readonly id: string; readonly topic: string; readonly data: unknown }>;
  try {
    stream = client.stream({
      ...(command.topics === undefined ? {} : { topics: command.topics }),
      ...(command.lastEventId === undefined ? {} : { lastEventId: command.lastEventId }),
      // Every type, a publish's own event names included: a terminal shows what arrives.
      events: "all",
      signal: controller.signal,
    });
  } catch (error) {
    // The SDK checks --topic with the server's rules before connecting: a usage error.
    if (error instanceof EventsClientError && error.code === "INVALID_OPTION") throw new UsageError(error.message.replace(/^topics: /, "--topic: "), "events stream");
    throw error;
  }
  const stopWatching = io.onStop(stop);

  let messages = 0;
  try {
    for await (const event of stream) {
      lastPrintedId = event.id;
      const receivedAt = io.now();
      const replayed = replay.next(event);
      if (raw !== undefined) await raw.onEvent();
      else if (command.json) await io.stdout.write(`${formatEventJson(event, receivedAt)}\n`);
      else await io.stdout.write(`${formatEventLine({ ...event, replayed }, receivedAt, color)}\n`);
      if (event.type !== "connected" && event.type !== "gap" && command.count !== undefined && ++messages >= command.count) break;
    }
    if (!controller.signal.aborted && failure === undefined && (command.count === undefined || messages < command.count)) {
      say("the server ended the stream");
    }
  } catch (error) {
    // A stop (Ctrl-C, SIGTERM, a first connection that failed) is not a failure of its own.
    if (failure === undefined && !controller.signal.aborted) failure = error;
  } finally {
    stopWatching();
    stream.close();
  }
  if (failure === undefined) return 0;
  await io.stderr.write(`events-cli: ${describeFailure(failure, "events stream", global.url)}\n`);
  return 1;
}

/** How each reason to reconnect reads on stderr (the network reason comes from the error itself). */
const RECONNECT_TEXT: Readonly<Record<Exclude<ReconnectReason, "network-error">, (status: ReconnectingStatus) => string>> = {
  "http-status": (status) => `the server answered HTTP ${status.status ?? "error"}`,
  "heartbeat-timeout": () => "no data or keepalive for too long",
  "connection-lost": () => "the connection broke off",
  "too-many-redirects": () => "the server redirected too many times",
  // The CLI's token is fixed: the reconnect after auth-expired is refused (exit 1) unless --token is renewed.
  "auth-expired": () => "the token expired",
  "token-error": () => "the token could not be read",
  unauthorized: () => "the server refused the token",
};

type ReconnectingStatus = Extract<StreamStatus, { state: "reconnecting" }>;

/** Why a reconnect happens, as an error (to fail with before the first open) and as text. */
function describeReconnect(status: ReconnectingStatus, url: string): { readonly error: unknown; readonly text: string } {
  if (status.reason === "network-error") {
    return { error: status.error, text: describeFailure(status.error, "stream", url).replace(/^stream failed: /, "") };
  }
  const text = RECONNECT_TEXT[status.reason](status);
  return { error: new Error(text), text };
}
