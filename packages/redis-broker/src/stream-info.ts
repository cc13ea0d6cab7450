import type { StreamFacts } from "./find-gap.ts";
import { ORIGIN_STREAM_ID } from "./stream-id.ts";

/**
 * Reads the facts {@link findGap} and the reader need from an `XINFO STREAM` reply (a flat
 * `[name, value, …]` list in RESP2), or from the "no such key" error a missing stream gives.
 */
export function toStreamFacts(error: Error | null, reply: unknown): StreamFacts {
  if (error !== null) {
    if (/no such key/i.test(error.message)) {
      return { exists: false, firstId: undefined, lastGeneratedId: ORIGIN_STREAM_ID, trimmed: false };
    }
    throw error;
  }
  if (!Array.isArray(reply)) throw new TypeError("XINFO STREAM did not answer a list");
  const fields = new Map<string, unknown>();
  for (let index = 0; index + 1 < reply.length; index += 2) fields.set(String(reply[index]), reply[index + 1]);
  const firstEntry = fields.get("first-entry");
  const firstId = Array.isArray(firstEntry) && typeof firstEntry[0] === "string" ? firstEntry[0] : undefined;
  const lastGenerated = fields.get("last-generated-id");
  const length = fields.get("length");
  const added = fields.get("entries-added");
  // entries-added exists since Redis 7.0; older servers leave trimming unknown.
  const trimmed = typeof added === "number" && typeof length === "number" ? added > length : undefined;
  return {
    exists: true,
    firstId,
    lastGeneratedId: typeof lastGenerated === "string" ? lastGenerated : ORIGIN_STREAM_ID,
    trimmed,
  };
}
