import { SseError } from "./errors.ts";
import { assertValidEventName } from "./encode.ts";
import { resolvePublishTopics } from "./topic.ts";
import type { PublishInput } from "./types.ts";

/** One input of a batch, checked: what a broker stores for it. */
export interface ResolvedPublish {
  readonly event: string;
  readonly data: string;
  /** Checked, unique topic names ({@link resolvePublishTopics}). */
  readonly topics: readonly string[];
}

/**
 * Checks every input of a batch before any is stored, so a broker's batch is all or none: the
 * same rules as a single publish (topics, event name), and no `idempotencyKey` (a key names one
 * event; a batch stores several under one request). Every broker's `publishBatch` calls it.
 * @throws {SseError} `INVALID_TOPIC` or `INVALID_EVENT_NAME` for the first bad input, its index
 *   in the message (`inputs[2]: ...`); `INVALID_OPTION` for an input with an `idempotencyKey`.
 * @example
 * resolvePublishBatch([{ topics: ["a"], data: "1" }, { event: "x", data: "2" }]);
 * // [{ event: "message", data: "1", topics: ["a"] }, { event: "x", data: "2", topics: ["events"] }]
 */
export function resolvePublishBatch(inputs: readonly PublishInput[]): ResolvedPublish[] {
  const resolved: ResolvedPublish[] = [];
  for (let index = 0; index < inputs.length; index++) {
    const input = inputs[index] as PublishInput;
    if (input.idempotencyKey !== undefined) {
      throw new SseError(
        "INVALID_OPTION",
        `inputs[${index}]: a batch cannot carry an idempotencyKey (a key names one event); publish keyed events one at a time`,
      );
    }
    const event = input.event ?? "message";
    try {
      const topics = resolvePublishTopics(input.topics);
      // "message", the usual name, is known to be valid.
      if (event !== "message") assertValidEventName(event);
      resolved.push({ event, data: input.data, topics });
    } catch (error) {
      if (error instanceof SseError) throw new SseError(error.code, `inputs[${index}]: ${error.message}`, { cause: error });
      throw error;
    }
  }
  return resolved;
}
