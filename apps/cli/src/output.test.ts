import { describe, expect, test } from "vitest";
import { escapeFrameForTerminal, formatEventJson, formatEventLine, formatPublishResult, formatTriggerResult, shouldUseColor } from "./output.ts";

const AT = new Date(2026, 0, 2, 3, 4, 5, 6);

describe("shouldUseColor", () => {
  test("colours a terminal only", () => {
    expect(shouldUseColor(true, {})).toBe(true);
    expect(shouldUseColor(false, {})).toBe(false);
  });

  test("never colours when NO_COLOR is set and not empty", () => {
    expect(shouldUseColor(true, { NO_COLOR: "1" })).toBe(false);
    expect(shouldUseColor(true, { NO_COLOR: "" })).toBe(true);
    expect(shouldUseColor(false, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
  });

  test("follows FORCE_COLOR when set", () => {
    expect(shouldUseColor(false, { FORCE_COLOR: "1" })).toBe(true);
    expect(shouldUseColor(true, { FORCE_COLOR: "0" })).toBe(false);
  });
});

describe("formatEventLine", () => {
  test("writes local time, type, id and message without colour", () => {
    expect(formatEventLine({ type: "message", id: "7", data: { message: "hello" } }, AT, false)).toBe("03:04:05.006  message    7  hello");
  });

  test("describes connected and gap events", () => {
    expect(formatEventLine({ type: "connected", id: "3", data: { message: "Connected", clients: 2 } }, AT, false)).toBe(
      "03:04:05.006  connected  3  Connected (2 connected)",
    );
    const gap = formatEventLine({ type: "gap", id: "9", data: { requestedId: "1", oldestId: "5", reason: "too-old" } }, AT, false);
    expect(gap).toContain("what followed 1 (too-old; oldest kept: 5)");
  });

  test("indents the continuation lines of a multi-line message", () => {
    expect(formatEventLine({ type: "message", id: "1", data: { message: "a\nb" } }, AT, false)).toBe(
      `03:04:05.006  message    1  a\n${" ".repeat(28)}b`,
    );
  });

  test("escapes control characters so a message cannot drive the terminal", () => {
    const line = formatEventLine({ type: "message", id: "1", data: { message: "\u001b[2Jx\r\u009b" } }, AT, false);
    expect(line).toBe("03:04:05.006  message    1  \\u001b[2Jx\\u000d\\u009b");
  });

  test("escapes control characters in an id too, which a hostile server chooses", () => {
    const line = formatEventLine({ type: "message", id: "e-1\u001b]0;owned\u0007", data: { message: "m" } }, AT, false);
    expect(line).toBe("03:04:05.006  message    e-1\\u001b]0;owned\\u0007  m");
  });

  test("colours type, time and id only when asked", () => {
    const line = formatEventLine({ type: "message", id: "1", data: { message: "m" } }, AT, true);
    expect(line).toContain("\u001b[32mmessage  \u001b[0m");
    expect(line).toContain("\u001b[2m1\u001b[0m");
  });

  test("shows the topic in brackets after the id, except the default topic", () => {
    expect(formatEventLine({ type: "message", id: "7", topic: "orders/42", data: { message: "a\nb" } }, AT, false)).toBe(
      `03:04:05.006  message    7  [orders/42]  a\n${" ".repeat(41)}b`,
    );
    expect(formatEventLine({ type: "message", id: "7", topic: "events", data: { message: "hello" } }, AT, false)).toBe("03:04:05.006  message    7  hello");
  });

  test("prints a published event's data as JSON", () => {
    expect(formatEventLine({ type: "order.updated", id: "8", topic: "orders/42", data: { total: 12 } }, AT, false)).toBe(
      '03:04:05.006  order.updated  8  [orders/42]  {"total":12}',
    );
  });

  test("prints the JSON of an event type it does not know", () => {
    expect(formatEventLine({ type: "other", id: "1", data: { a: 1 } }, AT, false)).toContain('{"a":1}');
  });
});

describe("formatEventJson", () => {
  test("writes one JSON object with type, id, data and an ISO time", () => {
    const line = formatEventJson({ type: "message", id: "1", data: { message: "a\nb" } }, AT);
    expect(line).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({ type: "message", id: "1", data: { message: "a\nb" }, time: AT.toISOString() });
  });
});

describe("formatEventJson with a topic", () => {
  test("writes the topic beside type and id", () => {
    const line = formatEventJson({ type: "message", id: "1", topic: "orders/42", data: 5 }, AT);
    expect(JSON.parse(line)).toEqual({ type: "message", id: "1", topic: "orders/42", data: 5, time: AT.toISOString() });
  });
});

describe("formatPublishResult", () => {
  test("shows the topics, the id and the client count", () => {
    expect(formatPublishResult({ id: "e-1", topics: ["a", "b/c"], clients: 1 })).toBe("Published to a, b/c (id e-1, 1 client)");
    expect(formatPublishResult({ id: "e-2", topics: ["a"], clients: 0 })).toBe("Published to a (id e-2, 0 clients)");
  });
});

describe("formatTriggerResult", () => {
  test("shows the status and the event id", () => {
    expect(formatTriggerResult({ status: "Event broadcast to 2 clients", id: "42" })).toBe("Event broadcast to 2 clients (id 42)");
  });

  test("shows control characters a server put in its answer escaped", () => {
    expect(formatTriggerResult({ status: "ok\u001b[2J", id: "4\u00072" })).toBe("ok\\u001b[2J (id 4\\u00072)");
  });
});

describe("formatTriggerResult: one client", () => {
  test("says 1 client in the singular, keeping the server's wording otherwise", () => {
    expect(formatTriggerResult({ status: "Event broadcast to 1 clients", id: "7", clients: 1 })).toBe("Event broadcast to 1 client (id 7)");
    expect(formatTriggerResult({ status: "Event broadcast to 0 clients", id: "8", clients: 0 })).toBe("Event broadcast to 0 clients (id 8)");
    expect(formatTriggerResult({ status: "Sent to 1 clients", id: "9", clients: 1 })).toBe("Sent to 1 clients (id 9)");
  });
});

describe("formatEventLine: replayed events", () => {
  test("marks a replayed event after its id, before its topic", () => {
    expect(formatEventLine({ type: "message", id: "7", data: { message: "hi" }, replayed: true }, AT, false)).toBe("03:04:05.006  message    7  (replayed)  hi");
    const topical = formatEventLine({ type: "message", id: "8", topic: "a", data: { message: "x\ny" }, replayed: true }, AT, false);
    expect(topical).toBe(`03:04:05.006  message    8  (replayed)  [a]  x\n${" ".repeat(45)}y`);
  });

  test("says on the connected line how many replayed events follow", () => {
    const line = formatEventLine({ type: "connected", id: "3", data: { message: "Connected", clients: 1, replayed: 2 } }, AT, false);
    expect(line).toBe("03:04:05.006  connected  3  Connected (1 connected; 2 replayed from history follow)");
    expect(formatEventLine({ type: "connected", id: "3", data: { message: "Connected", clients: 1, replayed: 0 } }, AT, false)).toBe(
      "03:04:05.006  connected  3  Connected (1 connected)",
    );
  });
});

describe("escapeFrameForTerminal", () => {
  test("keeps line breaks (CRLF shown as LF) and escapes every other control character", () => {
    expect(escapeFrameForTerminal("data: a\u001b[2J\r\ndata: b\tc\r\r\n")).toBe("data: a\\u001b[2J\ndata: b\tc\\u000d\n");
  });
});
