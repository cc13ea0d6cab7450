/**
 * `defineEvents`: one definition of an app's own event types (name → TypeBox schema of its
 * `data`, and optionally the topic patterns it may be published to), from which the server
 * validates and documents, and every client takes its types.
 */
import { Kind, type Static, type TSchema } from "@sinclair/typebox";
import { type ConnectedEventData, type GapEventData, MessageEventData } from "./stream-events.ts";

/** One event type: the schema of its `data`, and the topic patterns it may be published to. */
export interface EventDefinition<Data extends TSchema = TSchema, Topics extends readonly string[] | undefined = readonly string[] | undefined> {
  /** The schema every `data` of this event type must match (checked when published). */
  readonly data: Data;
  /**
   * Topic patterns (`"orders/*"`, `"chat/42"`, `"*"`) this event type may be published to;
   * a publish to any other topic is refused. @default undefined (any topic)
   */
  readonly topics: Topics;
}

/** What {@link defineEvents} takes per event type: a schema alone, or `{ data, topics? }`. */
export type EventInput = TSchema | { readonly data: TSchema; readonly topics?: readonly string[] | undefined };

/** The definitions {@link defineEvents} takes: event name → {@link EventInput}. */
export type EventInputs = Readonly<Record<string, EventInput>>;

/** The normalised definition of one {@link EventInput}. */
export type DefinitionOf<Input> = Input extends TSchema
  ? EventDefinition<Input, undefined>
  : Input extends { readonly data: infer Data extends TSchema; readonly topics: infer Topics extends readonly string[] }
    ? EventDefinition<Data, Topics>
    : Input extends { readonly data: infer Data extends TSchema }
      ? EventDefinition<Data, undefined>
      : never;

/** Any contract {@link defineEvents} made: what the type helpers below accept. */
export interface AnyEventsContract {
  readonly events: { readonly [name: string]: EventDefinition };
  readonly names: readonly string[];
}

/** An app's event types, made by {@link defineEvents}. */
export interface EventsContract<Inputs extends EventInputs = EventInputs> extends AnyEventsContract {
  /** Event name → its definition. */
  readonly events: { readonly [Name in keyof Inputs]: DefinitionOf<Inputs[Name]> };
  /** The event names, in definition order. */
  readonly names: readonly (keyof Inputs & string)[];
}

/** The event names of a contract. */
export type EventName<Contract extends AnyEventsContract> = Contract["names"][number];

/** The static type of the `data` of event `Name` of a contract. */
export type EventData<Contract extends AnyEventsContract, Name extends EventName<Contract>> = Static<Contract["events"][Name]["data"]>;

/** The topics a pattern stands for, as a type: `"orders/*"` → `` `orders/${string}` ``, `"*"` → `string`. */
export type TopicOfPattern<Pattern extends string> = Pattern extends "*"
  ? string
  : Pattern extends `${infer Prefix}/*`
    ? `${Prefix}/${string}`
    : Pattern;

/** The topics event `Name` may be published to, as a type (`string` when it names none). */
export type EventTopic<Contract extends AnyEventsContract, Name extends EventName<Contract>> =
  Contract["events"][Name]["topics"] extends readonly (infer Pattern extends string)[] ? TopicOfPattern<Pattern> : string;

/**
 * One event of a contract's stream, as a typed client yields it: the contract's own types
 * (with their topic) and the stream's built-in `connected` and `gap`.
 */
export type ContractStreamEvent<Contract extends AnyEventsContract> =
  | { readonly type: "connected"; readonly id: string; readonly data: ConnectedEventData }
  | { readonly type: "gap"; readonly id: string; readonly data: GapEventData }
  | {
      readonly [Name in EventName<Contract>]: {
        readonly type: Name;
        readonly id: string;
        readonly topic: string;
        readonly data: EventData<Contract, Name>;
      };
    }[EventName<Contract>];

/** Names the stream writes itself; an app's event type cannot take them. */
export const RESERVED_EVENT_NAMES: readonly string[] = Object.freeze(["connected", "gap", "auth-expired"]);

/** Thrown by {@link defineEvents} for a definition that cannot work. */
export class ContractError extends Error {
  override readonly name = "ContractError";
  readonly code = "INVALID_CONTRACT";
}

function isSchema(value: unknown): value is TSchema {
  return typeof value === "object" && value !== null && Kind in value;
}

/**
 * Defines an app's event types: name → TypeBox schema of its `data`, or `{ data, topics }`
 * to also name the topic patterns it may be published to. Names are SSE event names (one line,
 * not empty) other than `connected`, `gap` and `auth-expired`, which the stream sends itself. Topic patterns are
 * checked by the server that serves the contract (the topic rules live in `@events/sse-core`).
 *
 * @throws {ContractError} `INVALID_CONTRACT` for an empty definition, a bad or reserved name, or
 *   a value that is neither a schema nor `{ data: schema, topics? }`.
 * @example
 * ```ts
 * const events = defineEvents({
 *   "order.updated": { data: Type.Object({ id: Type.String(), status: Type.Union([Type.Literal("paid"), Type.Literal("shipped")]) }), topics: ["orders/*"] },
 *   "chat.message": Type.Object({ text: Type.String() }),
 * });
 * ```
 */
export function defineEvents<const Inputs extends EventInputs>(inputs: Inputs): EventsContract<Inputs> {
  const names = Object.keys(inputs);
  if (names.length === 0) throw new ContractError("defineEvents needs at least one event type, e.g. defineEvents({ message: Type.Object({ message: Type.String() }) })");
  const events: Record<string, EventDefinition> = {};
  for (const name of names) {
    if (name === "" || /[\r\n]/.test(name)) {
      throw new ContractError(`event name must be one non-empty line (got ${JSON.stringify(name)}); name it e.g. "order.updated"`);
    }
    if (RESERVED_EVENT_NAMES.includes(name)) {
      throw new ContractError(`event name ${JSON.stringify(name)} is sent by the stream itself; pick another, e.g. "app.${name}"`);
    }
    const input = inputs[name] as unknown;
    if (isSchema(input)) {
      events[name] = Object.freeze({ data: input, topics: undefined });
      continue;
    }
    const definition = input as { data?: unknown; topics?: unknown } | null;
    if (typeof definition !== "object" || definition === null || !isSchema(definition.data)) {
      throw new ContractError(`event ${JSON.stringify(name)} must be a TypeBox schema or { data: schema, topics?: [...] }`);
    }
    const { topics } = definition;
    if (topics !== undefined && (!Array.isArray(topics) || topics.length === 0 || !topics.every((topic) => typeof topic === "string"))) {
      throw new ContractError(`event ${JSON.stringify(name)}: topics must be a non-empty array of topic patterns, e.g. ["orders/*"], or left out for any topic`);
    }
    events[name] = Object.freeze({ data: definition.data, topics: topics === undefined ? undefined : Object.freeze([...topics]) });
  }
  return Object.freeze({ events: Object.freeze(events), names: Object.freeze(names) }) as unknown as EventsContract<Inputs>;
}

/**
 * The Goa example's contract: one `message` event (`{ message: string }`), on any topic. The
 * standalone server serves it unless given another (`--contract`).
 */
export const goaEvents: EventsContract<{ readonly message: typeof MessageEventData }> = defineEvents({ message: MessageEventData });
