/**
 * The events a stream yields. `connected` and `gap` are the stream's own (their `data` types
 * come from `@events/contract` through `import type`); the others are the app's, typed by its
 * contract (see `app-types.ts`), or unknown.
 */
import type { StreamEventPayloads, TriggerResponse as ContractTriggerResponse } from "@events/contract";

/** One event of a type the client knows, its `data` already parsed from JSON. */
export interface ContractEvent<Type extends string = string, Data = unknown, Topic extends string = string> {
  /** The event type (the `event:` field, `"message"` when absent). */
  readonly type: Type;
  /** The parsed payload, typed by the contract. */
  readonly data: Data;
  /** The event's id (the stream's last event id when it was dispatched): the resume cursor. */
  readonly id: string;
  /**
   * The topic the event came through: its `topic:` field, or the client's `defaultTopic`
   * (`"events"`) when it has none. `connected` and `gap` belong to the connection and carry
   * the default topic.
   */
  readonly topic: Topic;
  /** Absent: only an {@link UnknownStreamEvent} has `unknown: true` (test it before narrowing on `type`). */
  readonly unknown?: false;
}

/** Sent once per connection: `data.message` greets, `data.clients` counts connected clients. */
export type StreamConnectedEvent = ContractEvent<"connected", StreamEventPayloads["connected"]>;
/** History could not cover the id the client resumed from: refetch state. */
export type StreamGapEvent = ContractEvent<"gap", StreamEventPayloads["gap"]>;
/** The Goa contract's event: `data.message` is the text a `trigger()` sent. */
export type StreamMessageEvent = ContractEvent<"message", StreamEventPayloads["message"]>;

/**
 * An event of a type outside the contract the client was built with (a newer server, another
 * app's events), yielded rather than dropped: `unknown: true`, `data` parsed from JSON when it
 * is JSON (`undefined` when not), and `raw`, the `data:` text as received. Only a client that
 * knows the contract's names at run time (`knownEvents`) can tell; see the README.
 */
export interface UnknownStreamEvent {
  /** The event type (the `event:` field). */
  readonly type: string;
  /** The parsed JSON payload; `undefined` when `raw` is not JSON. */
  readonly data: unknown;
  /** The event's `data:` text, as received. */
  readonly raw: string;
  /** The event's id: the resume cursor. */
  readonly id: string;
  /** The topic the event came through (see {@link ContractEvent.topic}). */
  readonly topic: string;
  /** Tells this event apart from the contract's: test it before narrowing on `type`. */
  readonly unknown: true;
}

/**
 * An event of a client without an `App` type (`createEventsClient(url)`): any type, `data`
 * parsed JSON, `unknown: true` (with `raw`) only for a type outside `knownEvents`.
 */
export interface UntypedStreamEvent {
  readonly type: string;
  readonly data: unknown;
  readonly id: string;
  readonly topic: string;
  /** `true` for a type outside `knownEvents` (when given). */
  readonly unknown?: boolean;
  /** The `data:` text, on an unknown event. */
  readonly raw?: string;
}

/** What a stream does with an event of a type outside the contract: yield it (`unknown: true`) or skip it. */
export type UnknownEventMode = "yield" | "skip";

/** The answer of `trigger()`: `{ status, id, clients }` as the contract declares it. */
export type TriggerResponse = ContractTriggerResponse;

/** The event types the stream writes itself, whatever the contract. */
export const BUILT_IN_EVENT_TYPES: ReadonlySet<string> = new Set(["connected", "gap"]);
