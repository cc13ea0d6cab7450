/**
 * The frames a client's stream opens with, before any replayed or live event: `retry:`, the
 * opening event (its id the position the stream continues from) and the gap notice.
 */
import type { Broker, GapNotice, SubscriptionOpening } from "./broker.ts";
import { encodeEventBytes } from "./encode.ts";
import type { EventStreamOptions } from "./event-stream.ts";
import { joinFrames } from "./join-frames.ts";

/** What the opening frames are made of: the parts of a client's stream they read (a `ClientStream` is one). */
export interface OpeningFramesSource {
  readonly broker: Pick<Broker, "subscriberCount">;
  readonly options: Pick<EventStreamOptions, "openingEvent" | "topics" | "counters">;
  readonly retryFrame: Uint8Array | undefined;
  readonly gapEventName: string;
  /** A stream following only this topic gets the Goa-era gap shape (no `topics`). */
  readonly defaultTopic: string;
}

/**
 * The opening frames as one chunk (a frame alone as is, its bytes shared), or undefined when
 * there are none. Counts the replayed events and the gap in `options.counters`.
 *
 * @throws whatever `options.openingEvent` throws (the stream then ends with `"error"`).
 */
export function openingFrames(source: OpeningFramesSource, opening: SubscriptionOpening): Uint8Array | undefined {
  const { options } = source;
  const { cursor, replayed, gap } = opening;
  if (options.counters) options.counters.replayed += replayed;
  const frames: Uint8Array[] = [];
  if (source.retryFrame) frames.push(source.retryFrame);
  const built = options.openingEvent?.({ cursor, subscriberCount: source.broker.subscriberCount, replayed });
  if (built) {
    const { event, data } = built;
    frames.push(encodeEventBytes(event === undefined ? { id: cursor, data } : { id: cursor, event, data }));
  }
  if (gap !== undefined) {
    if (options.counters) options.counters.gaps += 1;
    frames.push(encodeEventBytes({ event: source.gapEventName, data: gapData(gap, options.topics, source.defaultTopic) }));
  }
  if (frames.length === 0) return undefined;
  return frames.length === 1 ? (frames[0] as Uint8Array) : joinFrames(frames);
}

/** The gap event's JSON: the Goa-era shape for a default-topic stream, plus `topics` otherwise. */
function gapData(gap: GapNotice, subscribed: readonly string[] | undefined, defaultTopic: string): string {
  const { requestedId, oldestId, reason, topics } = gap;
  const defaultOnly = subscribed === undefined || (subscribed.length === 1 && subscribed[0] === defaultTopic);
  return defaultOnly
    ? JSON.stringify({ requestedId, oldestId: oldestId ?? null, reason })
    : JSON.stringify({ requestedId, oldestId: oldestId ?? null, reason, topics });
}
