/**
 * Narrows the JSON `data` of stream events to the server's payload types. The page never
 * trusts wire text: anything that does not match is shown raw (as text) and flagged.
 */
import type { AuthExpiredEventData, ConnectedEventData, GapEventData, MessageEventData } from "@events/contract";

/** One event from `GET /events/stream`, parsed and checked. */
export type StreamEvent =
  | { readonly type: "connected"; readonly id: string; readonly data: ConnectedEventData }
  | { readonly type: "message"; readonly id: string; readonly data: MessageEventData }
  | { readonly type: "gap"; readonly id: string; readonly data: GapEventData }
  /** The stream's token expired: the server ends the stream after it (it carries no id). */
  | { readonly type: "auth-expired"; readonly id: string; readonly data: AuthExpiredEventData }
  | { readonly type: "invalid"; readonly id: string; readonly eventType: string; readonly raw: string };

/** The event types the page listens for. */
export const STREAM_EVENT_TYPES: readonly ["connected", "message", "gap", "auth-expired"] = ["connected", "message", "gap", "auth-expired"];

type Known = (typeof STREAM_EVENT_TYPES)[number];

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    // Malformed JSON is reported to the user as an "invalid" event, not thrown.
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isGapReason(value: unknown): value is GapEventData["reason"] {
  return value === "too-old" || value === "other-epoch" || value === "malformed" || value === "unknown";
}

/**
 * Parses the `data` of a `connected`, `message`, `gap` or `auth-expired` event into its payload type.
 * @returns the typed event, or an `invalid` event carrying the raw text when it does not match.
 * @example parseStreamEvent("message", "42", '{"message":"hi"}') // { type: "message", id: "42", data: { message: "hi" } }
 */
export function parseStreamEvent(eventType: Known, id: string, raw: string): StreamEvent {
  const value = parseJson(raw);
  if (isRecord(value)) {
    if (eventType === "message" && typeof value.message === "string") {
      return { type: "message", id, data: { message: value.message } };
    }
    if (eventType === "connected" && typeof value.message === "string" && Number.isInteger(value.clients)) {
      // `replayed` came later to the contract; a server without it replays nothing we can count.
      const replayed = Number.isInteger(value.replayed) ? (value.replayed as number) : 0;
      return { type: "connected", id, data: { message: value.message, clients: value.clients as number, replayed } };
    }
    if (
      eventType === "gap" &&
      typeof value.requestedId === "string" &&
      (typeof value.oldestId === "string" || value.oldestId === null) &&
      isGapReason(value.reason)
    ) {
      return { type: "gap", id, data: { requestedId: value.requestedId, oldestId: value.oldestId, reason: value.reason } };
    }
    if (eventType === "auth-expired" && typeof value.message === "string" && typeof value.expiredAt === "string") {
      return { type: "auth-expired", id, data: { message: value.message, expiredAt: value.expiredAt } };
    }
  }
  return { type: "invalid", id, eventType, raw };
}
