import type { GapReason } from "@events/sse-core";
import type { StreamFacts } from "./stream-info.ts";
import { compareRedisIds, compareStreamIds, ORIGIN_STREAM_ID, parseStreamId, type StreamId } from "./stream-id.ts";

/** What the whole history says about ids (from the ids hash, at one moment). */
export interface HistoryIds {
  /** The newest id handed out; undefined when this history never handed one out. */
  readonly lastId: string | undefined;
  /** The first id this history handed out. */
  readonly firstId: string | undefined;
}

/** What bounds a topic's history, as one resume saw it. */
export interface HistoryBounds {
  /** Redis's clock (ms). */
  readonly now: number;
  readonly historyTtlMs: number | false;
  /** The newest id any evicted or expired topic held; undefined when none was forgotten. */
  readonly evictedThroughId: string | undefined;
}

/**
 * Whether a well-formed `requestedId` can be from this history at all; if not, the reason
 * that applies to every subscribed topic:
 * - `other-epoch`: this history never handed out an id (Redis lost its data, or nothing was
 *   published yet), or the id is older than the first one it handed out (a lost history);
 * - `unknown`: the id is newer than anything handed out.
 *
 * The origin id `0-0` always belongs: it asks for everything held.
 */
export function historyGapReason(requestedId: string, ids: HistoryIds): GapReason | undefined {
  if (requestedId === ORIGIN_STREAM_ID) return undefined;
  if (ids.lastId === undefined) return "other-epoch";
  if (compareRedisIds(requestedId, ids.lastId) > 0) return "unknown";
  if (ids.firstId !== undefined && compareRedisIds(requestedId, ids.firstId) < 0) return "other-epoch";
  return undefined;
}

/**
 * Whether an id is past the age bound: older than `now - historyTtlMs`. The publish script
 * trims such entries (`MINID`) at a topic's next publish; until then a resume treats them as gone.
 */
export function isExpired(id: string, bounds: HistoryBounds): boolean {
  if (bounds.historyTtlMs === false) return false;
  const parsed = parseStreamId(id);
  return parsed !== undefined && parsed.milliseconds < BigInt(bounds.now - bounds.historyTtlMs);
}

/**
 * Whether topics this history no longer lists (evicted, or expired and swept) may have held
 * events after `requested`: the id is older than the newest id any of them held. The broker
 * keeps no record per forgotten topic (that is what bounds it), so the answer is the same for
 * every topic it does not hold, including one never published.
 */
export function forgottenTopicsMayHaveLost(requested: StreamId, bounds: HistoryBounds): boolean {
  return isBefore(requested, bounds.evictedThroughId);
}

/**
 * Whether a topic lost events after `requested`:
 * - its stream exists: `max-deleted-entry-id` is above the id (the publish script keeps it at
 *   the newest id the stream trimmed, by count or age, or at creation the newest id the topic
 *   may have held before it was evicted or expired), or an entry after the id is past the age
 *   bound (see {@link isExpired}); for a stream trimmed by something else, without a
 *   `max-deleted-entry-id`, any id before its first entry;
 * - its stream is gone: the id is older than the newest id it held (`forgottenLastId`, while
 *   it is still listed), or than what forgotten topics held ({@link forgottenTopicsMayHaveLost}).
 *
 * @param entries The entries after `requested` a resume read.
 */
export function topicLostEvents(
  requested: StreamId,
  topic: { readonly facts: StreamFacts; readonly entries: readonly (readonly [string, unknown])[]; readonly forgottenLastId?: string | undefined },
  bounds: HistoryBounds,
): boolean {
  const { facts, entries } = topic;
  if (!facts.exists) return isBefore(requested, topic.forgottenLastId) || forgottenTopicsMayHaveLost(requested, bounds);
  if (isBefore(requested, facts.maxDeletedId)) return true;
  if (facts.maxDeletedId === ORIGIN_STREAM_ID && (facts.trimmed ?? true) && isBefore(requested, facts.firstId ?? facts.lastGeneratedId)) return true;
  return entries.some(([id]) => isExpired(id, bounds));
}

function isBefore(requested: StreamId, id: string | undefined): boolean {
  const parsed = id === undefined ? undefined : parseStreamId(id);
  return parsed !== undefined && compareStreamIds(requested, parsed) < 0;
}
