// Wire vectors for the parser: a byte stream and what a spec-exact parser reports for it.
// The first group is every example of the WHATWG "Server-sent events" section; the rest pin
// one rule each. Expected outputs are written out by hand (not computed by the reference
// parser), and the tests also check the reference parser against them.
import type { SseMessage } from "../types.ts";
import { bytes } from "./feed.ts";
import type { ParseOutput } from "./reference-parser.ts";

export interface WireVector {
  readonly name: string;
  readonly stream: Uint8Array;
  readonly expected: ParseOutput;
}

const BOM = [0xef, 0xbb, 0xbf];

function message(data: string, lastEventId = "", type = "message"): SseMessage {
  return { type, data, lastEventId };
}

function vector(
  name: string,
  stream: Uint8Array,
  events: SseMessage[],
  extra: { retries?: number[]; comments?: string[] } = {},
): WireVector {
  return { name, stream, expected: { events, retries: extra.retries ?? [], comments: extra.comments ?? [] } };
}

/** Every example of https://html.spec.whatwg.org/multipage/server-sent-events.html. */
export const specVectors: readonly WireVector[] = [
  vector(
    "the introduction's three messages, one with two lines",
    bytes("data: This is the first message.\n\ndata: This is the second message, it\ndata: has two lines.\n\ndata: This is the third message.\n\n"),
    [
      message("This is the first message."),
      message("This is the second message, it\nhas two lines."),
      message("This is the third message."),
    ],
  ),
  vector(
    "the introduction's add and remove event types",
    bytes("event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n"),
    [message("73857293", "", "add"), message("2153", "", "remove"), message("113411", "", "add")],
  ),
  vector("the stock example: one event of three data lines", bytes("data: YHOO\ndata: +2\ndata: 10\n\n"), [message("YHOO\n+2\n10")]),
  vector(
    "a comment, then an id set and cleared by a bare id line",
    bytes(": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n"),
    [message("first event", "1"), message("second event", ""), message(" third event", "")],
    { comments: ["test stream"] },
  ),
  vector(
    "bare data lines, and a last block the stream ends inside",
    bytes("data\n\ndata\ndata\n\ndata:"),
    [message(""), message("\n")],
  ),
  vector("data:test and data: test are the same event", bytes("data:test\n\ndata: test\n\n"), [message("test"), message("test")]),
  vector(
    "the authoring note's reconnect-time and keepalive stream",
    bytes("retry: 10000\n: keep-alive\nid: 42\ndata: hello\n\n"),
    [message("hello", "42")],
    { retries: [10000], comments: ["keep-alive"] },
  ),
];

/** One rule each. */
export const ruleVectors: readonly WireVector[] = [
  vector("three blank lines dispatch nothing", bytes("\n\n\n"), []),
  vector("blank lines after an event dispatch it once", bytes("data: x\n\n\n\n"), [message("x")]),
  vector("a leading BOM is stripped", bytes(BOM, "data: a\n\n"), [message("a")]),
  vector("a second leading BOM is kept, so the first field name is unknown", bytes(BOM, BOM, "data: a\n\ndata: b\n\n"), [message("b")]),
  vector("a BOM after the start is content", bytes("data: a", BOM, "\n\n", BOM, "data: b\n\n"), [message("a\uFEFF")]),
  vector("CR ends lines", bytes("data: a\rdata: b\r\r"), [message("a\nb")]),
  vector("CRLF ends lines", bytes("id: 1\r\ndata: a\r\n\r\n"), [message("a", "1")]),
  vector("CR, LF and CRLF mix in one stream", bytes("data: a\r\ndata: b\rdata: c\n\r\n"), [message("a\nb\nc")]),
  vector("LF then CR is two line ends", bytes("data: a\n\rdata: b\n\n"), [message("a"), message("b")]),
  vector("CR CR LF is a line end then a blank line", bytes("data: a\r\r\ndata: b\r\n\r\n"), [message("a"), message("b")]),
  vector("multibyte characters are decoded", bytes("event: ünï\ndata: é😀中\n\n"), [message("é😀中", "", "ünï")]),
  vector(
    "invalid bytes become U+FFFD like TextDecoder",
    bytes("data: ", [0xff], "x", [0xc3], "\ndata: ", [0xe2, 0x82], "\ndata: ", [0xed, 0xa0, 0x80], "|", [0xc0, 0x80], "|", [0xf4, 0x90, 0x80, 0x80], "\n\n"),
    [message("\uFFFDx\uFFFD\n\uFFFD\n\uFFFD\uFFFD\uFFFD|\uFFFD\uFFFD|\uFFFD\uFFFD\uFFFD\uFFFD")],
  ),
  vector("a sequence cut by a line end is one U+FFFD", bytes("data: ", [0xf0, 0x9f, 0x98], "\n\n"), [message("\uFFFD")]),
  vector("invalid bytes in a field name make it unknown", bytes("dat", [0xe1], "a: x\ndata: y\n\n"), [message("y")]),
  vector(
    "retry with only ASCII digits is reported as an integer",
    bytes("retry: 1000\nretry:007\nretry: 10a\nretry: -1\nretry:  5\nretry:\nretry: 1.5\nretry: ٣\nretry\n"),
    [],
    { retries: [1000, 7] },
  ),
  vector("an id containing NUL is ignored", bytes("id: a\ndata: 1\n\nid: b\0c\ndata: 2\n\n"), [message("1", "a"), message("2", "a")]),
  vector("an empty id resets the last event id", bytes("id: a\ndata: 1\n\nid:\ndata: 2\n\n"), [message("1", "a"), message("2", "")]),
  vector("the last event id persists across events", bytes("id: 7\ndata: a\n\ndata: b\n\n"), [message("a", "7"), message("b", "7")]),
  vector("an id-only block sets the id for later events", bytes("id: 3\n\ndata: x\n\n"), [message("x", "3")]),
  vector("an id after the data lines still applies", bytes("data: x\nid: 5\n\n"), [message("x", "5")]),
  vector("the last of several ids wins", bytes("id: 1\nid: 2\ndata: x\n\n"), [message("x", "2")]),
  vector("the event type resets after dispatch", bytes("event: add\ndata: 1\n\ndata: 2\n\n"), [message("1", "", "add"), message("2")]),
  vector("the event type resets after a block without data", bytes("event: add\n\ndata: 2\n\n"), [message("2")]),
  vector("an empty event type means message", bytes("event: add\nevent:\ndata: 1\n\n"), [message("1")]),
  vector("field names are case-sensitive", bytes("Data: x\nDATA: y\nEvent: e\n\n"), []),
  vector("unknown fields and colon-less lines are ignored", bytes("foo: bar\ndata: x\nbaz\nretry-after: 5\n\n"), [message("x")]),
  vector("only one space after the colon is removed", bytes("data:  two\ndata:\tx\ndata: \n\n"), [message(" two\n\tx\n")]),
  vector("colons in the value are kept", bytes("data: a:b: c\n\n"), [message("a:b: c")]),
  vector("a data line without colon adds an empty line", bytes("data\ndata: x\n\n"), [message("\nx")]),
  vector("NUL in data is kept", bytes("data: a\0b\n\n"), [message("a\0b")]),
  vector(
    "comments lose the colon and one space",
    bytes(":no space\n: one space\n:  two\n:\n: a: b\n"),
    [],
    { comments: ["no space", "one space", " two", "", "a: b"] },
  ),
  vector("an event the stream ends inside is not dispatched", bytes("data: a\n\ndata: b\n"), [message("a")]),
  vector("an event whose blank line is cut is not dispatched", bytes("data: a\r"), []),
  vector("a last line without a line end is never interpreted", bytes("data: a\n\nretry: 5"), [message("a")]),
  vector("empty data still dispatches", bytes("data:\n\n"), [message("")]),
];

/** All vectors. */
export const wireVectors: readonly WireVector[] = [...specVectors, ...ruleVectors];
