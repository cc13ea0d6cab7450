/** An event as the stream command prints it (the SDK's stream events fit this shape). */
export interface PrintableEvent {
  readonly type: string;
  readonly id: string;
  readonly data: unknown;
  /** The topic it came through; human lines show it unless it is the default topic. */
  readonly topic?: string;
  /** Replayed from history (the `connected` event said so); human lines mark it. @default false */
  readonly replayed?: boolean;
}

/** The topic human lines leave out: the server's default topic (what a plain stream follows). */
export const DEFAULT_TOPIC = "events";

/** Environment variables that decide colour (https://no-color.org, FORCE_COLOR). */
export interface ColorEnv {
  readonly NO_COLOR?: string | undefined;
  readonly FORCE_COLOR?: string | undefined;
}

/**
 * Whether to write ANSI colour: never when `NO_COLOR` is set and not empty, as
 * `FORCE_COLOR` says when set (`0` = off), otherwise only on a terminal.
 */
export function shouldUseColor(isTty: boolean, env: ColorEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "") return env.FORCE_COLOR !== "0";
  return isTty;
}

const ANSI = { dim: "\u001b[2m", green: "\u001b[32m", cyan: "\u001b[36m", yellow: "\u001b[33m", reset: "\u001b[0m" } as const;

const TYPE_COLOR: Readonly<Record<string, string>> = { message: ANSI.green, connected: ANSI.cyan, gap: ANSI.yellow };

const TYPE_WIDTH = "connected".length;

/** What human lines write after the id of a replayed event. */
export const REPLAYED_MARK = "(replayed)";

/**
 * One human-readable line (local time, type, id, {@link REPLAYED_MARK} for a replayed event,
 * `[topic]` unless it is the default topic, text) for an event. Multi-line messages
 * continue on indented lines; control characters are shown escaped so a message can never
 * drive the terminal.
 */
export function formatEventLine(event: PrintableEvent, receivedAt: Date, color: boolean): string {
  const paint = (code: string | undefined, text: string): string => (color && code !== undefined ? `${code}${text}${ANSI.reset}` : text);
  const time = formatClock(receivedAt);
  const type = event.type.padEnd(TYPE_WIDTH);
  // The id is the server's choice too: a hostile one must not drive the terminal with it either.
  const id = escapeControl(event.id);
  // Topics are ASCII without brackets or spaces, so "[...]" never reads as part of the text.
  const topic = event.topic === undefined || event.topic === DEFAULT_TOPIC ? "" : `[${escapeControl(event.topic)}]`;
  const mark = event.replayed === true ? `${REPLAYED_MARK}  ` : "";
  const prefix = `${time}  ${type}  ${id}  ${mark}${topic === "" ? "" : `${topic}  `}`;
  const lines = describeEvent(event).split("\n").map(escapeControl);
  const indent = " ".repeat(prefix.length);
  const body = lines.join(`\n${indent}`);
  return `${paint(ANSI.dim, time)}  ${paint(TYPE_COLOR[event.type], type)}  ${paint(ANSI.dim, id)}  ${mark === "" ? "" : paint(ANSI.dim, mark)}${topic === "" ? "" : `${paint(ANSI.cyan, topic)}  `}${body}`;
}

/**
 * One NDJSON line for `--json`: `{"type","id","topic","data","time"}` with `time` in ISO 8601
 * (UTC); `topic` is there for every event the SDK yields (the default topic included).
 */
export function formatEventJson(event: PrintableEvent, receivedAt: Date): string {
  return JSON.stringify({ type: event.type, id: event.id, topic: event.topic, data: event.data, time: receivedAt.toISOString() });
}

/** The text a person wants to read for each event type. */
function describeEvent(event: PrintableEvent): string {
  const data = (typeof event.data === "object" && event.data !== null ? event.data : {}) as Record<string, unknown>;
  if (event.type === "message" && typeof data.message === "string") return data.message;
  if (event.type === "connected" && typeof data.message === "string") {
    const replaying = typeof data.replayed === "number" && data.replayed > 0 ? `; ${data.replayed} replayed from history follow` : "";
    return typeof data.clients === "number" ? `${data.message} (${data.clients} connected${replaying})` : data.message;
  }
  if (event.type === "gap") {
    const oldest = typeof data.oldestId === "string" ? data.oldestId : "none";
    return `history no longer holds what followed ${String(data.requestedId)} (${String(data.reason)}; oldest kept: ${oldest}): some events were missed`;
  }
  return typeof event.data === "string" ? event.data : JSON.stringify(event.data);
}

/**
 * Shows C0 (except TAB), DEL and C1 control characters as `\uXXXX`, so text the server
 * chose (a message, an id, an error body) can never drive the terminal (ESC, CSI, OSC).
 */
export function escapeControl(line: string): string {
  // C0 (except TAB), DEL and C1 controls: ESC or CSI in a message must not reach the terminal.
  return line.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function formatClock(date: Date): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/**
 * A `--raw` frame for a terminal: CRLF shown as LF (it looks the same), every other control
 * character but TAB and LF escaped as in {@link escapeControl}, so a frame cannot drive the terminal.
 */
export function escapeFrameForTerminal(frame: string): string {
  return frame.replace(/\r\n/g, "\n").split("\n").map(escapeControl).join("\n");
}

/** `1 client`, `3 clients`. */
function countClients(clients: number): string {
  return `${clients} ${clients === 1 ? "client" : "clients"}`;
}

/** Writes the "events publish" answer the way a person reads it. */
export function formatPublishResult(result: { readonly id: string; readonly topics: readonly string[]; readonly clients: number }): string {
  return escapeControl(`Published to ${result.topics.join(", ")} (id ${result.id}, ${countClients(result.clients)})`);
}

/**
 * Writes the "events trigger" result the way a person reads it. The server's status keeps
 * Goa's wording ("Event broadcast to 1 clients", byte for byte on the wire); this line says
 * "1 client". Any other status is shown as the server wrote it.
 */
export function formatTriggerResult(result: { readonly status: string; readonly id: string; readonly clients?: number }): string {
  const { status, clients } = result;
  const text = clients !== undefined && status === `Event broadcast to ${clients} clients` ? `Event broadcast to ${countClients(clients)}` : status;
  return escapeControl(`${text} (id ${result.id})`);
}
