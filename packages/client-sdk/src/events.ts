/**
 * The typed events of `GET /events/stream`, derived from the service's one contract
 * (`@events/contract`'s `StreamEventPayloads`) through `import type`: no payload shape is
 * written here, and no contract code reaches a bundle.
 */
import type { StreamEventPayloads, TriggerResponse as ContractTriggerResponse } from "@events/contract";

/** The event types the stream carries: `"connected" | "message" | "gap"`. */
export type StreamEventType = keyof StreamEventPayloads;

/** One event of type `K`, its `data` already parsed from JSON. */
export interface TypedStreamEvent<K extends StreamEventType> {
  /** The event type (the `event:` field, `"message"` when absent). */
  readonly type: K;
  /** The parsed payload, typed by the contract. */
  readonly data: StreamEventPayloads[K];
  /** The event's id (the stream's last event id when it was dispatched): the resume cursor. */
  readonly id: string;
}

/** Sent once per connection: `data.message` greets, `data.clients` counts connected clients. */
export type StreamConnectedEvent = TypedStreamEvent<"connected">;
/** One per trigger: `data.message` is the text that was sent. */
export type StreamMessageEvent = TypedStreamEvent<"message">;
/** History could not cover the id the client resumed from: refetch state. */
export type StreamGapEvent = TypedStreamEvent<"gap">;

/** Any event of the stream: a discriminated union on `type`. */
export type StreamEvent = { [K in StreamEventType]: TypedStreamEvent<K> }[StreamEventType];

/** The answer of `trigger()`: `{ status, id, clients }` as the contract declares it. */
export type TriggerResponse = ContractTriggerResponse;

// A record, not a list: adding an event type to the contract fails to compile here until it is listed.
const KNOWN_TYPES: Readonly<Record<StreamEventType, true>> = { connected: true, message: true, gap: true };

/** Whether `type` is one of the event types this SDK knows (others are skipped, for forward compatibility). */
export function isStreamEventType(type: string): type is StreamEventType {
  return Object.hasOwn(KNOWN_TYPES, type);
}
