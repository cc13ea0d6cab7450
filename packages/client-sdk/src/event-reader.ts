import { describeValue } from "@events/sse-core";
import { EventsClientError } from "./errors.ts";
import { BUILT_IN_EVENT_TYPES, type UnknownEventMode, type UntypedStreamEvent } from "./events.ts";
import type { MessageReader } from "./event-feed.ts";

/** What decides how a typed client reads a message. */
export interface EventReaderOptions {
  /** The topic of a message without a `topic:` field. */
  readonly defaultTopic: string;
  /**
   * The contract's event names, when the client was told them (`knownEvents`): any other type
   * is unknown. `undefined`: every type is taken as the contract's (the client trusts the server).
   */
  readonly knownEvents: ReadonlySet<string> | undefined;
  /** What to do with an unknown type. */
  readonly unknownEvents: UnknownEventMode;
}

/**
 * The reader of a typed client's stream: an event of the contract (or `connected`/`gap`) must
 * carry JSON (`INVALID_EVENT_DATA` otherwise, ending the stream); an unknown type is yielded
 * with `unknown: true`, its `raw` text and its data parsed when it is JSON, or skipped.
 */
export function createEventReader(options: EventReaderOptions): MessageReader<UntypedStreamEvent> {
  const { defaultTopic, knownEvents, unknownEvents } = options;
  return (message) => {
    const { type, data: raw, lastEventId: id } = message;
    const topic = message.topic ?? defaultTopic;
    if (knownEvents === undefined || knownEvents.has(type) || BUILT_IN_EVENT_TYPES.has(type)) {
      const parsed = parseJson(raw);
      if (parsed.ok) return { type, data: parsed.value, id, topic };
      return new EventsClientError("INVALID_EVENT_DATA", `the data of a ${JSON.stringify(type)} event must be JSON (got ${describeValue(raw)})`, {
        cause: parsed.error,
      });
    }
    if (unknownEvents === "skip") return undefined;
    const parsed = parseJson(raw);
    return { type, data: parsed.ok ? parsed.value : undefined, raw, id, topic, unknown: true };
  };
}

/** `text` parsed as JSON, or why not: the caller decides whether that is fatal (a contract event) or not (unknown). */
function parseJson(text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error };
  }
}
