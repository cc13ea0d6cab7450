import type { GapNotice, GapReason } from "@events/sse-core";
import { compareStreamIds, ORIGIN_STREAM_ID, parseStreamId } from "./stream-id.ts";

/** What `XINFO STREAM` says about the stream a subscriber resumes from. */
export interface StreamFacts {
  /** False when the key does not exist (never written, deleted, or Redis lost its data). */
  readonly exists: boolean;
  /** The oldest entry still held, undefined when the stream is empty. */
  readonly firstId: string | undefined;
  /** The newest id ever generated for the stream (`last-generated-id`), `0-0` when none. */
  readonly lastGeneratedId: string;
  /**
   * Whether entries were ever removed (trimmed) from the stream: `entries-added` > `length`.
   * Undefined when Redis is older than 7.0 and does not say; then trimming is assumed.
   */
  readonly trimmed: boolean | undefined;
}

/**
 * Decides whether the stream covers everything after `requestedId`: returns the gap notice
 * to deliver first, or undefined when the replay after `requestedId` is complete.
 *
 * Redis trims a stream from its head only (`XADD … MAXLEN ~`), so the replay is complete
 * when `requestedId` is still held, or is the origin id of a stream never trimmed. An id
 * older than the first entry of a trimmed stream may have lost events after it
 * (`too-old`); an id newer than anything the stream generated is `unknown`; any other id
 * that is not held never belonged to this history (`other-epoch`: Redis lost its data, or
 * the id is from another stream).
 *
 * @param requestedId A client's Last-Event-ID (not empty).
 * @param requestedIsHeld Whether the stream holds an entry with exactly this id.
 */
export function findGap(requestedId: string, requestedIsHeld: boolean, facts: StreamFacts): GapNotice | undefined {
  const reason = gapReason(requestedId, requestedIsHeld, facts);
  if (reason === undefined) return undefined;
  return { requestedId, oldestId: facts.firstId, reason };
}

function gapReason(requestedId: string, requestedIsHeld: boolean, facts: StreamFacts): GapReason | undefined {
  const requested = parseStreamId(requestedId);
  if (requested === undefined) return "malformed";
  if (requestedIsHeld) return undefined;
  const trimmed = facts.trimmed ?? true;
  if (requestedId === ORIGIN_STREAM_ID) {
    // The origin id asks for the whole history: complete unless something was trimmed.
    return facts.exists && trimmed ? "too-old" : undefined;
  }
  // The key is gone: whatever history the id came from was lost (a restart without persistence).
  if (!facts.exists) return "other-epoch";
  const lastGenerated = parseStreamId(facts.lastGeneratedId);
  if (lastGenerated !== undefined && compareStreamIds(requested, lastGenerated) > 0) return "unknown";
  const first = facts.firstId === undefined ? undefined : parseStreamId(facts.firstId);
  if ((first === undefined || compareStreamIds(requested, first) < 0) && trimmed) return "too-old";
  return "other-epoch";
}
