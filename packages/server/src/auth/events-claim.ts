/**
 * The permissions claim of a token: `events: { subscribe?: string[], publish?: string[] }`
 * (the claim's name is an option), each entry a topic or pattern.
 */
import { SseError, parseTopicPattern } from "@events/sse-core";
import { invalidToken } from "./invalid-token.ts";

/** The topics and patterns a claim grants; both empty when the claim is absent. */
export interface EventsClaim {
  readonly subscribe: readonly string[];
  readonly publish: readonly string[];
}

const NONE: EventsClaim = Object.freeze({ subscribe: Object.freeze([]), publish: Object.freeze([]) });

/**
 * Reads the claim's value: absent means no permissions; anything but an object of
 * string-pattern lists is refused, so a typo never silently grants less or more.
 * @throws {HttpError} 401 `INVALID_TOKEN` "malformed events claim".
 * @example
 * parseEventsClaim({ subscribe: ["orders/42", "users/7/*"] }); // { subscribe: [...], publish: [] }
 */
export function parseEventsClaim(value: unknown): EventsClaim {
  if (value === undefined) return NONE;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidToken("malformed events claim");
  const claim = value as { subscribe?: unknown; publish?: unknown };
  return { subscribe: readPatterns(claim.subscribe), publish: readPatterns(claim.publish) };
}

function readPatterns(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidToken("malformed events claim");
  for (const entry of value) {
    try {
      parseTopicPattern(entry as string);
    } catch (error) {
      if (error instanceof SseError) throw invalidToken("malformed events claim", error);
      throw error;
    }
  }
  return value as string[];
}
