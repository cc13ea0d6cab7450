import { isatty } from "node:tty";

/** A place to write text to, with backpressure: the promise settles once the text is handed off. */
export interface TextSink {
  write(text: string): Promise<void>;
}

/**
 * Everything the CLI touches outside itself, so commands run in-process in tests and
 * against the real process in the binary.
 */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Whether stdout is a terminal (colour and human lines are for people). */
  readonly stdoutIsTty: boolean;
  /** The environment (EVENTS_URL, EVENTS_TOKEN, EVENTS_JWT_SECRET, NO_COLOR, FORCE_COLOR are read). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Runs `handler` on Ctrl-C (SIGINT), SIGTERM or a closed stdout; returns an unsubscribe. */
  onStop(handler: () => void): () => void;
  /** The clock for timestamps. @default () => new Date() */
  now(): Date;
  /** The fetch the SDK uses. @default globalThis.fetch */
  readonly fetch: typeof fetch;
  /** Reads all of stdin as UTF-8 text (`--message -`, `--data -`, `--batch -`). */
  readStdin(): Promise<string>;
  /** Reads a file as UTF-8 text (`--batch FILE`); rejects with the runtime's error (`code` ENOENT, EISDIR...). */
  readFile(path: string): Promise<string>;
}

/**
 * A {@link TextSink} over a Bun file (`Bun.stdout`, `Bun.stderr`): writes in order, each
 * promise settling once its text is written (backpressure for a slow reader). A reader
 * that went away (EPIPE) is reported once through `onBrokenPipe`, never thrown.
 * `Bun.write` rather than `process.stdout`: creating the Node stream added ~9 ms to
 * start-up, more than the rest of `--version` (bench/NOTES.md, "CLI").
 */
export function bunFileSink(file: Bun.BunFile, onBrokenPipe: () => void): TextSink {
  let tail: Promise<void> = Promise.resolve();
  let broken = false;
  return {
    write(text) {
      tail = tail.then(async () => {
        if (broken || text === "") return;
        try {
          await Bun.write(file, text);
        } catch (error) {
          broken = true;
          if ((error as { code?: unknown } | null)?.code === "EPIPE") onBrokenPipe();
        }
      });
      return tail;
    },
  };
}

/** The real process: stdio, signals and the environment. */
export function processIo(): CliIo {
  const stopHandlers = new Set<() => void>();
  const stopAll = (): void => {
    for (const handler of stopHandlers) handler();
  };
  return {
    // `events-cli events stream | head -1`: the reader leaving is a normal way to stop.
    stdout: bunFileSink(Bun.stdout, stopAll),
    stderr: bunFileSink(Bun.stderr, () => {}),
    get stdoutIsTty(): boolean {
      return isatty(1);
    },
    env: process.env,
    onStop(handler) {
      stopHandlers.add(handler);
      process.on("SIGINT", handler);
      process.on("SIGTERM", handler);
      return () => {
        stopHandlers.delete(handler);
        process.off("SIGINT", handler);
        process.off("SIGTERM", handler);
      };
    },
    now: () => new Date(),
    fetch: globalThis.fetch,
    readStdin: () => Bun.stdin.text(),
    readFile: (path) => Bun.file(path).text(),
  };
}
