import { describe, expect, test } from "vitest";
import { createLogger, type LogLevel, type LoggerOptions } from "./logger.ts";

const TIME = new Date("2026-01-02T03:04:05.678Z");

function capture(options: LoggerOptions = {}): { lines: [string, LogLevel][]; logger: ReturnType<typeof createLogger> } {
  const lines: [string, LogLevel][] = [];
  const logger = createLogger({ now: () => TIME.getTime(), write: (line, level) => lines.push([line, level]), ...options });
  return { lines, logger };
}

describe("createLogger", () => {
  test("writes a text line: time, level, message, then key=value fields, quoting values with spaces", () => {
    const { lines, logger } = capture();
    logger.info("request", { method: "GET", path: "/events/stream", status: 200, ms: 1.25, left: undefined, note: "two words", ok: true });
    expect(lines).toEqual([
      ['2026-01-02T03:04:05.678Z INFO request method=GET path=/events/stream status=200 ms=1.25 note="two words" ok=true', "info"],
    ]);
  });

  test("writes one JSON object per line with time, level and msg first", () => {
    const { lines, logger } = capture({ format: "json" });
    logger.warn("broker down", { code: "BROKER_UNAVAILABLE", attempt: 2, left: undefined });
    expect(lines.length).toBe(1);
    const [line] = lines[0] as [string, LogLevel];
    expect(line).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({ time: "2026-01-02T03:04:05.678Z", level: "warn", msg: "broker down", code: "BROKER_UNAVAILABLE", attempt: 2 });
    expect(Object.keys(JSON.parse(line)).slice(0, 3)).toEqual(["time", "level", "msg"]);
  });

  test("writes a text stack on indented lines after the entry, and as a field in JSON", () => {
    const stack = "TypeError: boom\n    at f (a.ts:1:1)";
    const text = capture();
    text.logger.error("internal error answered 500", { error: "TypeError: boom", stack });
    expect(text.lines[0]?.[0]).toBe(
      '2026-01-02T03:04:05.678Z ERROR internal error answered 500 error="TypeError: boom"\n    TypeError: boom\n        at f (a.ts:1:1)',
    );
    const json = capture({ format: "json" });
    json.logger.error("internal error answered 500", { stack });
    expect(JSON.parse(json.lines[0]?.[0] as string).stack).toBe(stack);
  });

  test("writes only lines at or above its level", () => {
    const { lines, logger } = capture({ level: "warn" });
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(lines.map(([, level]) => level)).toEqual(["warn", "error"]);
    expect([logger.enabled("info"), logger.enabled("warn")]).toEqual([false, true]);
  });

  test("writes nothing at silent, nor without a sink", () => {
    const { lines, logger } = capture({ level: "silent" });
    logger.error("e");
    expect(lines).toEqual([]);
    expect(logger.enabled("error")).toBe(false);
    expect(createLogger().enabled("error")).toBe(false);
  });

  test("never writes a secret it was given, nor a secret-shaped value, in the message or any field", () => {
    for (const format of ["text", "json"] as const) {
      const { lines, logger } = capture({ format, secrets: ["tok-123", false, undefined, ""] });
      logger.info("token tok-123 seen", { header: "Bearer abc.def", url: "redis://u:pw@h:6379", query: "a=1&access_token=zzz", raw: "tok-123" });
      const line = lines[0]?.[0] as string;
      for (const secret of ["tok-123", "abc.def", "pw@", "zzz"]) expect(line).not.toContain(secret);
      expect(line).toContain("[redacted]");
    }
  });
});
