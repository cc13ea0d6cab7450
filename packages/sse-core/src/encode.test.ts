import { describe, expect, test } from "vitest";
import { codeOf } from "./test-support/errors.ts";
import { encodeComment, encodeEvent, encodeEventBytes, encodeRetry } from "./encode.ts";
import { createRandom, parseChunks } from "./test-support/feed.ts";

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return "";
}

describe("encodeEvent", () => {
  test("writes id, event, retry and data fields, then a blank line", () => {
    expect(encodeEvent({ id: "7", event: "update", retry: 1500, data: "hello" })).toBe(
      "id: 7\nevent: update\nretry: 1500\ndata: hello\n\n",
    );
  });

  test("omits fields that are undefined", () => {
    expect(encodeEvent({ data: "x" })).toBe("data: x\n\n");
  });

  test("splits data on LF into one data line each", () => {
    expect(encodeEvent({ data: "a\nb\nc" })).toBe("data: a\ndata: b\ndata: c\n\n");
  });

  test("splits data on CR and on CRLF", () => {
    expect(encodeEvent({ data: "a\rb\r\nc" })).toBe("data: a\ndata: b\ndata: c\n\n");
  });

  test("keeps a trailing newline as an empty last data line", () => {
    expect(encodeEvent({ data: "a\n" })).toBe("data: a\ndata:\n\n");
    expect(parseChunks([encodeEvent({ data: "a\n" })]).events[0]?.data).toBe("a\n");
  });

  test("writes one empty data line for empty data, so the event still dispatches", () => {
    expect(encodeEvent({ data: "" })).toBe("data:\n\n");
    const events = parseChunks([encodeEvent({ data: "" })]).events;
    expect(events).toEqual([{ type: "message", data: "", lastEventId: "" }]);
  });

  test("keeps leading spaces and colons of data lines", () => {
    const data = " lead\n:colon\n  two";
    expect(parseChunks([encodeEvent({ data })]).events[0]?.data).toBe(data);
  });

  test("writes an empty id, which resets the client's last event id", () => {
    expect(encodeEvent({ id: "", data: "x" })).toBe("id:\ndata: x\n\n");
  });

  test("accepts NUL in an event name and in data", () => {
    const frame = encodeEvent({ event: "a\0b", data: "c\0d" });
    expect(parseChunks([frame]).events[0]).toEqual({ type: "a\0b", data: "c\0d", lastEventId: "" });
  });

  test("rejects an id containing LF, CR or NUL with INVALID_ID", () => {
    expect(codeOf(() => encodeEvent({ id: "a\nb", data: "" }))).toBe("INVALID_ID");
    expect(codeOf(() => encodeEvent({ id: "a\rb", data: "" }))).toBe("INVALID_ID");
    expect(codeOf(() => encodeEvent({ id: "a\0b", data: "" }))).toBe("INVALID_ID");
  });

  test("names the id field, the offending value and the fix", () => {
    const message = messageOf(() => encodeEvent({ id: "a\nb", data: "" }));
    expect(message).toContain("event id");
    expect(message).toContain('"a\\nb"');
    expect(message).toContain("use an id without line breaks");
  });

  test("truncates a long offending value in the message", () => {
    const message = messageOf(() => encodeEvent({ id: `${"x".repeat(10_000)}\n`, data: "" }));
    expect(message.length).toBeLessThan(300);
    expect(message).toContain("…");
  });

  test("rejects an event name containing CR or LF with INVALID_EVENT_NAME", () => {
    expect(codeOf(() => encodeEvent({ event: "a\nb", data: "" }))).toBe("INVALID_EVENT_NAME");
    expect(codeOf(() => encodeEvent({ event: "a\rb", data: "" }))).toBe("INVALID_EVENT_NAME");
    expect(messageOf(() => encodeEvent({ event: "a\rb", data: "" }))).toContain('event name must not contain CR or LF (got "a\\rb")');
  });

  test("rejects a retry that is negative, fractional or not finite with INVALID_RETRY", () => {
    for (const retry of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(codeOf(() => encodeEvent({ retry, data: "" }))).toBe("INVALID_RETRY");
    }
    expect(messageOf(() => encodeEvent({ retry: -1, data: "" }))).toContain("retry must be a non-negative integer");
  });

  test("accepts a retry of zero", () => {
    expect(encodeEvent({ retry: 0, data: "x" })).toBe("retry: 0\ndata: x\n\n");
  });
});

describe("encodeEvent on random data", () => {
  /** The general rule, written out: one `data:` field per line, lines split on CR, LF and CRLF. */
  function referenceFrame(id: string, data: string): string {
    const lines = data.split(/\r\n|\r|\n/).map((line) => (line === "" ? "data:\n" : `data: ${line}\n`));
    return `${id === "" ? "id:\n" : `id: ${id}\n`}${lines.join("")}\n`;
  }

  test("gives the same frame whether or not data has line breaks (single-line fast path included)", () => {
    const random = createRandom(0x5e5e);
    const alphabet = ["a", "Z", " ", ":", "\0", "é", "😀", "{", '"', "\n", "\r", "\r\n"];
    let singleLine = 0;
    for (let round = 0; round < 2000; round++) {
      let data = "";
      const length = Math.floor(random() * 12);
      // Half the rounds draw from characters without CR or LF, so the fast path is exercised often.
      const letters = round % 2 === 0 ? alphabet.slice(0, 9) : alphabet;
      for (let i = 0; i < length; i++) data += letters[Math.floor(random() * letters.length)];
      if (!/[\r\n]/.test(data)) singleLine += 1;
      const id = round % 7 === 0 ? "" : `k-${round}`;
      expect(encodeEvent({ id, data })).toBe(referenceFrame(id, data));
      expect(encodeEventBytes({ id, data })).toEqual(new TextEncoder().encode(referenceFrame(id, data)));
    }
    expect(singleLine).toBeGreaterThan(900);
  });
});

describe("encodeEventBytes", () => {
  test("is the UTF-8 encoding of encodeEvent", () => {
    const event = { id: "é-1", event: "ünï", data: "日本\n🎉" };
    expect(new TextDecoder().decode(encodeEventBytes(event))).toBe(encodeEvent(event));
    expect(encodeEventBytes(event)).toBeInstanceOf(Uint8Array);
  });

  test("validates like encodeEvent", () => {
    expect(codeOf(() => encodeEventBytes({ id: "\n", data: "" }))).toBe("INVALID_ID");
  });
});

describe("encodeComment", () => {
  test("writes a comment line", () => {
    expect(encodeComment("keepalive")).toBe(": keepalive\n");
  });

  test("splits multi-line text into one comment line each", () => {
    expect(encodeComment("a\nb\r\nc\rd")).toBe(": a\n: b\n: c\n: d\n");
  });

  test("writes a bare colon for empty text", () => {
    expect(encodeComment("")).toBe(":\n");
  });

  test("never dispatches an event", () => {
    const output = parseChunks([encodeComment("a\nb"), "data: x\n\n"]);
    expect(output.events).toEqual([{ type: "message", data: "x", lastEventId: "" }]);
    expect(output.comments).toEqual(["a", "b"]);
  });
});

describe("encodeRetry", () => {
  test("writes a retry-only frame", () => {
    expect(encodeRetry(3000)).toBe("retry: 3000\n\n");
    const output = parseChunks([encodeRetry(3000)]);
    expect(output.retries).toEqual([3000]);
    expect(output.events).toEqual([]);
  });

  test("rejects a negative retry", () => {
    expect(codeOf(() => encodeRetry(-5))).toBe("INVALID_RETRY");
  });
});
