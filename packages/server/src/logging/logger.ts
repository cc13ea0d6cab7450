/**
 * The server's logger: leveled lines in a text or JSON format, handed to a sink the runtime
 * entry provides (this module writes nowhere itself). Every string is scrubbed of secrets
 * before it is formatted, so no caller can put a token in a line by mistake.
 */
import { createSecretScrubber } from "./scrub.ts";

/** How much a line matters, least first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** The lowest level written, or `"silent"` for none. */
export type LogLevelSetting = LogLevel | "silent";

/** `text`: `2026-01-01T00:00:00.000Z INFO message key=value ...`; `json`: one JSON object per line. */
export type LogFormat = "text" | "json";

/** The values a line carries beside its message; `undefined` ones are left out. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Writes log lines. Libraries of this toolkit take one as an option and log nothing without it. */
export interface Logger {
  /** Whether `level` is written: check it before building costly fields. */
  enabled(level: LogLevel): boolean;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** The lowest level written. @default "info" */
  readonly level?: LogLevelSetting;
  /** The line format. @default "text" */
  readonly format?: LogFormat;
  /** Receives each finished line (no trailing newline) and its level. @default drop every line */
  readonly write?: (line: string, level: LogLevel) => void;
  /** Exact strings never written, e.g. the trigger token (replaced by `[redacted]`). @default none */
  readonly secrets?: readonly (string | false | undefined)[];
  /** The clock of the `time` field, in milliseconds since the Unix epoch. @default `Date.now` */
  readonly now?: () => number;
}

/** The defaults of {@link LoggerOptions}. */
export const DEFAULT_LOGGER_OPTIONS: Readonly<{ level: "info"; format: "text" }> = Object.freeze({ level: "info", format: "text" });

/** The level names, least first; a setting's index is the lowest written. */
export const LOG_LEVELS: readonly LogLevelSetting[] = Object.freeze(["debug", "info", "warn", "error", "silent"]);

/** Whether `value` names a level setting. */
export function isLogLevelSetting(value: string): value is LogLevelSetting {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** A text value: bare when it has no space, quote, `=` or control character, else JSON-quoted. */
function textValue(value: string | number | boolean): string {
  if (typeof value !== "string") return String(value);
  return value !== "" && /^[^\s"=\\\x00-\x1f\x7f]+$/.test(value) ? value : JSON.stringify(value);
}

/**
 * Builds a logger.
 * @example
 * const logger = createLogger({ level: "info", format: "json", write: (line) => console.log(line) });
 * logger.info("request", { method: "GET", path: "/healthz", status: 200 });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? DEFAULT_LOGGER_OPTIONS.level;
  const format = options.format ?? DEFAULT_LOGGER_OPTIONS.format;
  const write = options.write;
  const now = options.now ?? Date.now;
  const scrub = createSecretScrubber(options.secrets ?? []);
  const lowest = LOG_LEVELS.indexOf(level);
  const enabled = (at: LogLevel): boolean => write !== undefined && LOG_LEVELS.indexOf(at) >= lowest;

  // Formatting a date costs more than the rest of a request line: reuse it within a millisecond.
  let lastMs = Number.NaN;
  let lastTime = "";
  const timestamp = (): string => {
    const ms = now();
    if (ms !== lastMs) {
      lastMs = ms;
      lastTime = new Date(ms).toISOString();
    }
    return lastTime;
  };

  const line = (at: LogLevel, message: string, fields: LogFields | undefined): string => {
    const time = timestamp();
    if (format === "json") {
      const entry: Record<string, string | number | boolean> = { time, level: at, msg: scrub(message) };
      if (fields !== undefined) {
        for (const key in fields) {
          const value = fields[key];
          if (value !== undefined) entry[key] = typeof value === "string" ? scrub(value) : value;
        }
      }
      return JSON.stringify(entry);
    }
    let text = `${time} ${at.toUpperCase()} ${scrub(message)}`;
    // A stack reads best as it is printed: on its own lines after the entry, indented.
    let trailer = "";
    if (fields !== undefined) {
      for (const key in fields) {
        const value = fields[key];
        if (value === undefined) continue;
        if (key === "stack" && typeof value === "string") trailer = `\n    ${scrub(value).replaceAll("\n", "\n    ")}`;
        else text += ` ${key}=${textValue(typeof value === "string" ? scrub(value) : value)}`;
      }
    }
    return text + trailer;
  };

  const at = (level: LogLevel) => (message: string, fields?: LogFields): void => {
    if (enabled(level)) (write as (line: string, level: LogLevel) => void)(line(level, message, fields), level);
  };
  return { enabled, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
