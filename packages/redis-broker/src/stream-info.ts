import { ORIGIN_STREAM_ID } from "./stream-id.ts";

/** What `XINFO STREAM` says about one stream (a topic's history, or the live stream). */
export interface StreamFacts {
  /** False when the key does not exist (never written, deleted, expired, or Redis lost its data). */
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
  /**
   * `max-deleted-entry-id` (Redis 7.0+): the newest id deleted by `XDEL`, or set by the publish
   * script (`XSETID … MAXDELETEDID`) when it creates a topic stream that may have held events
   * before (evicted or expired). Trimming does not move it. `0-0` when none.
   */
  readonly maxDeletedId: string;
}

/**
 * Reads the facts from an `XINFO STREAM` reply (a flat `[name, value, …]` list in RESP2),
 * or from the "no such key" error a missing stream gives.
 */
export function toStreamFacts(error: Error | null, reply: unknown): StreamFacts {
  if (error !== null) {
    if (/no such key/i.test(error.message)) return MISSING_STREAM;
    throw error;
  }
  if (!Array.isArray(reply)) throw new TypeError("XINFO STREAM did not answer a list");
  const fields = new Map<string, unknown>();
  for (let index = 0; index + 1 < reply.length; index += 2) fields.set(String(reply[index]), reply[index + 1]);
  const firstEntry = fields.get("first-entry");
  const firstId = Array.isArray(firstEntry) && typeof firstEntry[0] === "string" ? firstEntry[0] : undefined;
  const lastGenerated = fields.get("last-generated-id");
  const maxDeleted = fields.get("max-deleted-entry-id");
  const length = fields.get("length");
  const added = fields.get("entries-added");
  // entries-added exists since Redis 7.0; older servers leave trimming unknown.
  const trimmed = typeof added === "number" && typeof length === "number" ? added > length : undefined;
  return {
    exists: true,
    firstId,
    lastGeneratedId: typeof lastGenerated === "string" ? lastGenerated : ORIGIN_STREAM_ID,
    trimmed,
    maxDeletedId: typeof maxDeleted === "string" ? maxDeleted : ORIGIN_STREAM_ID,
  };
}

/** The facts of a stream that does not exist. */
export const MISSING_STREAM: StreamFacts = Object.freeze({
  exists: false,
  firstId: undefined,
  lastGeneratedId: ORIGIN_STREAM_ID,
  trimmed: false,
  maxDeletedId: ORIGIN_STREAM_ID,
});
