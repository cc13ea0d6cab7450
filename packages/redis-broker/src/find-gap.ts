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
  /** The newest id any evicted topic held; undefined when none was evicted. */
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
 * Whether a topic with no stream (never published, evicted, or expired), or any topic of a
 * pattern (whose evicted and expired topics are no longer listed), may have lost events after
 * `requested`: the id is older than the newest id an evicted topic held, or older than the age
 * bound (an expired topic's events were all at least `historyTtlMs` old). Conservative: the
 * broker keeps no record per forgotten topic, so a topic never published gets the same answer.
 */
export function forgottenTopicsMayHaveLost(requested: StreamId, bounds: HistoryBounds): boolean {
  const evicted = bounds.evictedThroughId === undefined ? undefined : parseStreamId(bounds.evictedThroughId);
  if (evicted !== undefined && compareStreamIds(requested, evicted) < 0) return true;
  return bounds.historyTtlMs !== false && requested.milliseconds <= BigInt(bounds.now - bounds.historyTtlMs);
}

/**
 * Whether a topic's stream lost events after `requested`:
 * - `max-deleted-entry-id` is above it (set at the stream's creation when the topic may have
 *   held events before: evicted or expired);
 * - the stream was trimmed (count or age) and `requested` is older than its first entry (trimming
 *   removes the oldest entries; Redis does not say which, so any id before the first held one
 *   may have missed some);
 * - an entry after `requested` is past the age bound (see {@link isExpired}).
 *
 * @param entries The entries after `requested` a resume read.
 */
export function topicLostEvents(requested: StreamId, facts: StreamFacts, entries: readonly (readonly [string, unknown])[], bounds: HistoryBounds): boolean {
  if (!facts.exists) return forgottenTopicsMayHaveLost(requested, bounds);
  if (compareStreamIds(requested, mustParse(facts.maxDeletedId)) < 0) return true;
  if ((facts.trimmed ?? true) && compareStreamIds(requested, mustParse(facts.firstId ?? facts.lastGeneratedId)) < 0) return true;
  return entries.some(([id]) => isExpired(id, bounds));
}

function mustParse(id: string): StreamId {
  return parseStreamId(id) ?? { milliseconds: 0n, sequence: 0n };
}
