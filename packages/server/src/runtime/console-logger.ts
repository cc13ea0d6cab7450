/**
 * The runtime entries' logger: lines of `info` and `debug` to stdout, `warn` and `error` to
 * stderr (journald and container runtimes keep both), in the format and from the level the
 * flags chose, with the trigger token never written.
 */
import { createLogger, type LogFormat, type Logger, type LogLevelSetting } from "../logging/logger.ts";

/** What {@link createConsoleLogger} is told (the server options of the same names). */
export interface ConsoleLoggerOptions {
  /** @default "info" */
  readonly logLevel?: LogLevelSetting;
  /** @default "text" */
  readonly logFormat?: LogFormat;
  /** Never written, e.g. the trigger token. @default none */
  readonly secrets?: readonly (string | false | undefined)[];
}

/**
 * Builds the console logger.
 * @example
 * const logger = createConsoleLogger({ logLevel: options.logLevel, logFormat: options.logFormat, secrets: [options.triggerToken] });
 */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  return createLogger({
    level: options.logLevel ?? "info",
    format: options.logFormat ?? "text",
    secrets: options.secrets ?? [],
    write: (line, level) => {
      if (level === "warn" || level === "error") console.error(line);
      else console.log(line);
    },
  });
}
