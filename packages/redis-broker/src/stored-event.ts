import { encodeEventBytes, type StoredEvent } from "@events/sse-core";

/** The fields a stream entry carries: `event` (the type) and `data`. */
export const EVENT_FIELD = "event";
export const DATA_FIELD = "data";

/**
 * Turns a stream entry into a {@link StoredEvent}, encoding its wire frame now (once per
 * node; every local subscriber shares the bytes). Throws `SseError` when the entry cannot
 * be a frame (an event type with CR or LF written into the key by something else).
 */
export function entryToStoredEvent(id: string, fields: readonly string[]): StoredEvent {
  let event = "message";
  let data = "";
  for (let index = 0; index + 1 < fields.length; index += 2) {
    if (fields[index] === EVENT_FIELD) event = fields[index + 1] as string;
    else if (fields[index] === DATA_FIELD) data = fields[index + 1] as string;
  }
  return Object.freeze({ id, event, data, frame: encodeEventBytes(frameFields(id, event, data)) });
}

/**
 * The {@link StoredEvent} a publish resolves with. Its frame is encoded only if the caller
 * reads it: subscribers get the reader's copy, so fan-out still encodes once per node.
 */
export function publishedEvent(id: string, event: string, data: string): StoredEvent {
  let frame: Uint8Array | undefined;
  return Object.freeze({
    id,
    event,
    data,
    get frame(): Uint8Array {
      frame ??= encodeEventBytes(frameFields(id, event, data));
      return frame;
    },
  });
}

function frameFields(id: string, event: string, data: string): { id: string; event?: string; data: string } {
  // "message" is what a client assumes without an event line: leave it out of the frame.
  return event === "message" ? { id, data } : { id, event, data };
}
