// Helpers for tests of brokers on a real store (the Redis and Postgres brokers' tests import
// this file by path): a subscriber that records what it gets, and a bounded wait on a condition.
import type { GapNotice, SubscriberHandlers, SubscriptionOpening } from "../broker.ts";
import type { StoredEvent } from "../types.ts";

/** A subscriber that records what it receives. */
export interface Recorder {
  readonly handlers: SubscriberHandlers;
  readonly events: StoredEvent[];
  /** The topic each event came through, in the order of `events`. */
  readonly topics: string[];
  readonly openings: SubscriptionOpening[];
  /** The gap notices of `openings`. */
  readonly gaps: GapNotice[];
  readonly closes: number;
  ids(): string[];
}

/** A {@link Recorder}; its `onOpen` throws when an event came first. */
export function createRecorder(): Recorder {
  const events: StoredEvent[] = [];
  const topics: string[] = [];
  const openings: SubscriptionOpening[] = [];
  const gaps: GapNotice[] = [];
  let closes = 0;
  return {
    handlers: {
      onOpen: (opening) => {
        if (events.length > 0) throw new Error("onOpen came after an event");
        openings.push(opening);
        if (opening.gap !== undefined) gaps.push(opening.gap);
      },
      onEvent: (event, topic) => {
        events.push(event);
        topics.push(topic);
      },
      onClose: () => {
        closes += 1;
      },
    },
    events,
    topics,
    openings,
    gaps,
    get closes() {
      return closes;
    },
    ids: () => events.map((event) => event.id),
  };
}

/** Resolves once `condition()` holds; fails after `timeoutMs` with `what` in the message. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
