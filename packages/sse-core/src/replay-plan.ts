/** What a {@link MemoryBroker} subscriber resuming after a Last-Event-ID gets: the replay, or a gap. */
import type { GapNotice, GapReason } from "./broker.ts";
import { formatEventId, parseEventId } from "./event-id.ts";
import type { SubscribedTopic } from "./topic.ts";
import type { TopicStore } from "./topic-store.ts";
import type { EventId, StoredEvent } from "./types.ts";

/** What a subscriber resuming after a Last-Event-ID gets. */
export interface ReplayPlan {
  readonly gap: GapNotice | undefined;
  readonly cursor: EventId;
  readonly replay: readonly StoredEvent[];
}

/** The broker's history as a resume reads it. */
export interface ResumableHistory {
  readonly store: TopicStore;
  /** The epoch part of the broker's ids. */
  readonly epoch: number;
  /** The id that sorts before every event (`<epoch>-0`). */
  readonly origin: EventId;
  /** The newest sequence stored. */
  readonly sequence: number;
  readonly clock: () => number;
}

/** Works out what a subscriber of `subscribed` resuming after `lastEventId` gets. */
export function planReplay(history: ResumableHistory, lastEventId: string | undefined, subscribed: readonly SubscribedTopic[]): ReplayPlan {
  if (lastEventId === undefined) return { gap: undefined, cursor: formatEventId(history.epoch, history.sequence), replay: [] };
  const now = history.clock();
  const parsed = parseEventId(lastEventId);
  let reason: GapReason;
  if (parsed === undefined) reason = "malformed";
  else if (parsed.epoch !== history.epoch) reason = "other-epoch";
  else if (parsed.sequence > history.sequence) reason = "unknown";
  else {
    const { events, lost, oldestLost, holdsAtOrBefore } = history.store.read(subscribed, parsed.sequence, now);
    if (lost.length === 0) return { gap: undefined, cursor: lastEventId, replay: events };
    const gap: GapNotice = { requestedId: lastEventId, oldestId: oldestLost?.id, reason: "too-old", topics: lost };
    // When everything held is newer than the id, the origin says the same and is what a
    // resume from a trimmed position has always answered; otherwise the id itself, so a
    // reconnect does not replay the topics that lost nothing.
    return { gap, cursor: holdsAtOrBefore ? lastEventId : history.origin, replay: events };
  }
  const { events } = history.store.read(subscribed, 0, now);
  const gap: GapNotice = {
    requestedId: lastEventId,
    oldestId: events[0]?.id,
    reason,
    topics: subscribed.map((entry) => entry.text),
  };
  return { gap, cursor: history.origin, replay: events };
}
