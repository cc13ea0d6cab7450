import { createStoredEvent, DEFAULT_TOPIC, type StoredEvent } from "@events/sse-core";

/** The fields a stream entry carries: `event` (the type), `data` and `topics`. */
export const EVENT_FIELD = "event";
export const DATA_FIELD = "data";
/**
 * The event's topics joined by a space (topic names never contain one). Left out for an event
 * of the default topic alone, so such entries are stored exactly as before topics existed.
 */
export const TOPICS_FIELD = "topics";

const DEFAULT_TOPICS: readonly string[] = Object.freeze([DEFAULT_TOPIC]);

/** The value of the `topics` field for `topics`, or undefined when the field is left out. */
export function topicsFieldValue(topics: readonly string[]): string | undefined {
  return topics.length === 1 && topics[0] === DEFAULT_TOPIC ? undefined : topics.join(" ");
}

/**
 * Turns a stream entry into sse-core's {@link StoredEvent} (its frames encoded once, on first
 * read, and shared by every local subscriber). Throws `SseError` when the entry cannot be a
 * frame (an event type with CR or LF written into the key by something else).
 */
export function entryToStoredEvent(id: string, fields: readonly string[]): StoredEvent {
  let event = "message";
  let data = "";
  let topics = DEFAULT_TOPICS;
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const name = fields[index];
    const value = fields[index + 1] as string;
    if (name === EVENT_FIELD) event = value;
    else if (name === DATA_FIELD) data = value;
    else if (name === TOPICS_FIELD) topics = value.split(" ");
  }
  return createStoredEvent(id, event, data, topics);
}
