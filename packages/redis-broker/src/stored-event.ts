import { createStoredEvent, type StoredEvent } from "@events/sse-core";

/** The fields a stream entry carries: `event` (the type) and `data`. */
export const EVENT_FIELD = "event";
export const DATA_FIELD = "data";

/**
 * Turns a stream entry into sse-core's {@link StoredEvent} (its frame encoded once, on first
 * read, and shared by every local subscriber). Throws `SseError` when the entry cannot be a
 * frame (an event type with CR or LF written into the key by something else).
 */
export function entryToStoredEvent(id: string, fields: readonly string[]): StoredEvent {
  let event = "message";
  let data = "";
  for (let index = 0; index + 1 < fields.length; index += 2) {
    if (fields[index] === EVENT_FIELD) event = fields[index + 1] as string;
    else if (fields[index] === DATA_FIELD) data = fields[index + 1] as string;
  }
  return createStoredEvent(id, event, data);
}
