/**
 * One open stream's options for sse-core's `createEventStream`, which keeps them for the
 * stream's life: the options every stream of a service shares live once, on a prototype, and
 * each stream's object holds only its own (cursor, topics, expiry) and its close bookkeeping.
 * A server holds tens of thousands of idle streams, so this saves a few hundred bytes each:
 * no copy of the shared options, and `onClose` is one shared method, not a closure per stream.
 */
import type { EventStreamCloseReason, EventStreamOptions, EventStreamSummary, SubscribedTopic } from "@events/sse-core";
import type { LocalSubscribers } from "./local-subscribers.ts";
import type { EventsStats } from "./stats.ts";

/** Why a stream ended and what it wrote, told to its log line. */
export type StreamCloseListener = (reason: EventStreamCloseReason, summary: EventStreamSummary) => void;

/** A stream's own options; everything else comes from the service's shared ones. */
export interface OwnStreamOptions {
  readonly lastEventId?: string | undefined;
  readonly topics?: readonly string[] | undefined;
  readonly defaultTopic?: string | undefined;
  readonly endsAt?: number | undefined;
  readonly endEvent?: { readonly event?: string; readonly data: string } | undefined;
}

/** The options object of one stream, and its identity among the service's local subscribers. */
export interface StreamEntry extends EventStreamOptions {
  /** Counted as open: cleared by the first close, so a stream is released once. */
  open: boolean;
  /** What the stream follows, as the local subscribers registered it. */
  readonly subscription: readonly SubscribedTopic[];
  /** The stream's log line, set once the stream is handed out (one that never was has no end to report). */
  logClose: StreamCloseListener | undefined;
  readonly onClose: (reason: EventStreamCloseReason, summary?: EventStreamSummary) => void;
}

/** The summary of a stream that ended before it wrote anything. */
const NOTHING_WRITTEN: EventStreamSummary = Object.freeze({ bytes: 0 });

/**
 * Makes the option objects of one service's streams.
 * @example
 * const entries = createStreamEntries(shared, stats, local);
 * const entry = entries({ lastEventId }, subscription);
 * const body = createEventStream(broker, entry);
 */
export function createStreamEntries(
  shared: Omit<EventStreamOptions, "onClose" | keyof OwnStreamOptions>,
  stats: EventsStats,
  local: LocalSubscribers,
): (own: OwnStreamOptions, subscription: readonly SubscribedTopic[]) => StreamEntry {
  const prototype = {
    ...shared,
    onClose(this: StreamEntry, reason: EventStreamCloseReason, summary: EventStreamSummary = NOTHING_WRITTEN): void {
      if (!this.open) return;
      this.open = false;
      local.remove(this, this.subscription);
      stats.streamClosed(reason);
      this.logClose?.(reason, summary);
    },
  };
  return (own, subscription) => {
    const entry = Object.create(prototype) as StreamEntry;
    entry.open = true;
    (entry as { subscription: readonly SubscribedTopic[] }).subscription = subscription;
    entry.logClose = undefined;
    // Only what is set: the broker and the stream read an absent option as its default.
    if (own.lastEventId !== undefined) (entry as { lastEventId?: string }).lastEventId = own.lastEventId;
    if (own.topics !== undefined) (entry as { topics?: readonly string[] }).topics = own.topics;
    if (own.defaultTopic !== undefined) (entry as { defaultTopic?: string }).defaultTopic = own.defaultTopic;
    if (own.endsAt !== undefined) {
      (entry as { endsAt?: number }).endsAt = own.endsAt;
      (entry as { endEvent?: OwnStreamOptions["endEvent"] }).endEvent = own.endEvent;
    }
    return entry;
  };
}
