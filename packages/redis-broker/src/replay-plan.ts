import { type GapNotice, type GapReason, matchesTopic, type SubscribedTopic } from "@events/sse-core";
import { type HistoryBounds, forgottenTopicsMayHaveLost, isExpired, topicLostEvents } from "./find-gap.ts";
import type { ResumeSnapshot, TopicSnapshot } from "./resume-script.ts";
import { compareRedisIds, ORIGIN_STREAM_ID, type StreamId } from "./stream-id.ts";
import type { RawEntry } from "./stream-reader.ts";

/** What a subscriber resuming from a Last-Event-ID gets. */
export interface ReplayPlan {
  readonly gap: GapNotice | undefined;
  /** The subscription's cursor (see `Subscription.cursor`). */
  readonly cursor: string;
  /** The events to replay, in id order, each once. */
  readonly replay: readonly RawEntry[];
  /**
   * The newest id handed out when the replay was read: every event up to it is in the replay
   * (or lost, with a gap), every later one comes live. Live entries up to it are skipped.
   */
  readonly through: string;
}

/** The plan for a resume from a well-formed id this history covers (maybe with a `too-old` gap). */
export function planResume(
  requestedId: string,
  requested: StreamId,
  subscribed: readonly SubscribedTopic[],
  snapshot: ResumeSnapshot,
  historyTtlMs: number | false,
): ReplayPlan {
  const bounds = boundsOf(snapshot, historyTtlMs);
  const lost = snapshot.topics.filter((topic) => topicLostEvents(requested, topic, bounds));
  const affected = subscribed.filter(
    ({ pattern }) =>
      lost.some((topic) => matchesTopic(pattern, topic.topic)) || (pattern.kind !== "exact" && forgottenTopicsMayHaveLost(requested, bounds)),
  );
  const through = snapshot.lastId ?? ORIGIN_STREAM_ID;
  const replay = mergeHeld(snapshot.topics, bounds);
  if (affected.length === 0) return { gap: undefined, cursor: requestedId, replay, through };
  const affectedTopics = snapshot.topics.filter((topic) => affected.some(({ pattern }) => matchesTopic(pattern, topic.topic)));
  const gap: GapNotice = {
    requestedId,
    oldestId: oldestHeld(affectedTopics, bounds),
    reason: "too-old",
    topics: affected.map(({ text }) => text),
  };
  return { gap, cursor: requestedId, replay, through };
}

/**
 * The plan when history cannot place `requestedId` at all (`malformed`, `other-epoch`,
 * `unknown`): a gap naming every subscribed topic, then everything held, from the origin id.
 * @param snapshot A read from the start (`"-"`).
 */
export function planFullReplay(
  requestedId: string,
  reason: GapReason,
  subscribed: readonly SubscribedTopic[],
  snapshot: ResumeSnapshot,
  historyTtlMs: number | false,
): ReplayPlan {
  const bounds = boundsOf(snapshot, historyTtlMs);
  const gap: GapNotice = { requestedId, oldestId: oldestHeld(snapshot.topics, bounds), reason, topics: subscribed.map(({ text }) => text) };
  return { gap, cursor: ORIGIN_STREAM_ID, replay: mergeHeld(snapshot.topics, bounds), through: snapshot.lastId ?? ORIGIN_STREAM_ID };
}

/**
 * The first of an event's topics (publish order) that a subscription matches: the topic the
 * subscriber gets it through. Undefined when none does.
 */
export function deliveryTopic(topics: readonly string[], subscribed: readonly SubscribedTopic[]): string | undefined {
  return topics.find((topic) => subscribed.some(({ pattern }) => matchesTopic(pattern, topic)));
}

function boundsOf(snapshot: ResumeSnapshot, historyTtlMs: number | false): HistoryBounds {
  return { now: snapshot.now, historyTtlMs, evictedThroughId: snapshot.evictedThroughId };
}

/** The oldest id still held (not past the age bound) in any of `topics`. */
function oldestHeld(topics: readonly TopicSnapshot[], bounds: HistoryBounds): string | undefined {
  let oldest: string | undefined;
  for (const { facts, entries } of topics) {
    let first = facts.firstId;
    if (first !== undefined && isExpired(first, bounds)) first = entries.find(([id]) => !isExpired(id, bounds))?.[0];
    if (first !== undefined && (oldest === undefined || compareRedisIds(first, oldest) < 0)) oldest = first;
  }
  return oldest;
}

/**
 * The entries read from every topic, merged into one id order, each once (an event stored
 * in several subscribed topics is read from each), without those past the age bound.
 */
function mergeHeld(topics: readonly TopicSnapshot[], bounds: HistoryBounds): RawEntry[] {
  const lists = topics.map(({ entries }) => entries).filter((entries) => entries.length > 0);
  let merged: RawEntry[];
  if (lists.length <= 1) {
    merged = [...(lists[0] ?? [])];
  } else {
    // Sorted on numbers, not by parsing ids in every comparison: a busy pattern replays thousands.
    const keyed = lists.flat().map((entry) => ({ entry, ...numericId(entry[0]) }));
    keyed.sort((a, b) => a.milliseconds - b.milliseconds || a.sequence - b.sequence);
    merged = [];
    for (const { entry } of keyed) {
      if (merged.at(-1)?.[0] !== entry[0]) merged.push(entry);
    }
  }
  return bounds.historyTtlMs === false ? merged : merged.filter(([id]) => !isExpired(id, bounds));
}

function numericId(id: string): { milliseconds: number; sequence: number } {
  const dash = id.indexOf("-");
  return { milliseconds: Number(id.slice(0, dash)), sequence: Number(id.slice(dash + 1)) };
}
