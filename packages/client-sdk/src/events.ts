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
  /**
   * The topic the event came through: its `topic:` field, or the client's `defaultTopic`
   * (`"events"`) when it has none. `connected` and `gap` belong to the connection and carry
   * the default topic.
   */
  readonly topic: string;
}

/**
 * An event of a type the contract does not list: a publish's `event` name
 * (`publish({ topic, event: "order.updated", data })`), delivered only when `stream()` asks
 * for it with `events`. `data` is the parsed JSON, `unknown` until the contract types it.
 */
export interface UntypedStreamEvent<E extends string = string> {
  /** The event type (the `event:` field). */
  readonly type: E;
  /** The parsed JSON payload, as the publisher sent it. */
  readonly data: unknown;
  /** The event's id: the resume cursor. */
  readonly id: string;
  /** The topic the event came through (see {@link TypedStreamEvent.topic}). */
  readonly topic: string;
}

/** Sent once per connection: `data.message` greets, `data.clients` counts connected clients. */
export type StreamConnectedEvent = TypedStreamEvent<"connected">;
/** One per trigger: `data.message` is the text that was sent. */
export type StreamMessageEvent = TypedStreamEvent<"message">;
/** History could not cover the id the client resumed from: refetch state. */
export type StreamGapEvent = TypedStreamEvent<"gap">;

/** Any event of the stream: a discriminated union on `type`. */
export type StreamEvent = { [K in StreamEventType]: TypedStreamEvent<K> }[StreamEventType];

/**
 * The events a stream yields for its `events` option `E`: every {@link StreamEvent}, plus an
 * {@link UntypedStreamEvent} for each name in `E` the contract does not list (any type at
 * all for `"all"`). Without `events` (`E` = `readonly []`), exactly {@link StreamEvent}.
 */
export type StreamEventFor<E> = StreamEvent | UntypedEvents<EventNames<E>>;

/** The names an `events` option asks for: a list's entries, every name for `"all"`. */
type EventNames<V> = V extends "all" ? string : V extends readonly (infer E extends string)[] ? E : never;

/** One {@link UntypedStreamEvent} per name not in the contract (distributes over a union; none for `never`). */
type UntypedEvents<E> = E extends string ? (E extends StreamEventType ? never : UntypedStreamEvent<E>) : never;

/** The answer of `trigger()`: `{ status, id, clients }` as the contract declares it. */
export type TriggerResponse = ContractTriggerResponse;

// A record, not a list: adding an event type to the contract fails to compile here until it is listed.
const KNOWN_TYPES: Readonly<Record<StreamEventType, true>> = { connected: true, message: true, gap: true };

/** Whether `type` is one of the event types this SDK knows (others are skipped, for forward compatibility). */
export function isStreamEventType(type: string): type is StreamEventType {
  return Object.hasOwn(KNOWN_TYPES, type);
}
