/**
 * The schema of `POST {prefix}/publish` for a contract: a union with one member per event type,
 * `{ event, topic?, topics?, data }`, where `event` is optional for `message` (a publish
 * without it is a `message`) and the topics are those the event may be published to. It is
 * what the route declares (so Eden and the SDK read event name → data type from `App`) and
 * what `/openapi.json` shows; the route checks bodies itself (contract-checker.ts), with errors
 * that name the JSON path inside `data` rather than TypeBox's "Expected union value".
 */
import type { AnyEventsContract, EventName } from "@events/contract";
import { parseTopicPattern } from "@events/sse-core";
import {
  type TArray,
  type TLiteral,
  type TObject,
  type TOptional,
  type TSchema,
  type TString,
  type TTemplateLiteral,
  type TUnion,
  type TUnsafe,
  Type,
  type Static,
} from "@sinclair/typebox";

/** The schema of one topic a pattern stands for: `"orders/*"` → `` `orders/${string}` ``, `"*"` → any string. */
export type TopicPatternSchema<Pattern extends string> = Pattern extends "*"
  ? TString
  : Pattern extends `${infer Prefix}/*`
    ? TTemplateLiteral<[TLiteral<`${Prefix}/`>, TString]>
    : TLiteral<Pattern>;

/** The schema of a topic an event type may be published to: any string when it names no patterns. */
export type EventTopicSchema<Topics> = Topics extends readonly (infer Pattern extends string)[]
  ? TopicPatternSchema<Pattern> extends infer One extends TSchema
    ? [One] extends [TString] ? TString : TUnion<TopicPatternSchema<Pattern>[]>
    : TString
  : TString;

/** The `event` field of a member: optional for `message`. */
type EventFieldSchema<Name extends string> = Name extends "message" ? TOptional<TLiteral<Name>> : TLiteral<Name>;

/** One member of the publish union: the body that publishes event type `Name`. */
export type PublishMemberSchema<Contract extends AnyEventsContract, Name extends EventName<Contract>> = TObject<{
  event: EventFieldSchema<Name>;
  topic: TOptional<EventTopicSchema<Contract["events"][Name]["topics"]>>;
  topics: TOptional<TArray<EventTopicSchema<Contract["events"][Name]["topics"]>>>;
  data: Contract["events"][Name]["data"];
}>;

/** The body schema of `POST {prefix}/publish` for a contract: one member per event type. */
export type PublishBodySchema<Contract extends AnyEventsContract> = TUnion<
  { [Name in EventName<Contract>]: PublishMemberSchema<Contract, Name> }[EventName<Contract>][]
>;

/** A publish body of a contract, as a type: one member per event type. */
export type PublishBody<Contract extends AnyEventsContract> = Static<PublishBodySchema<Contract>>;

/**
 * The publish union as the route declares it to Elysia: a schema whose static type is
 * {@link PublishBody}. Elysia 1.4 types a route's body through TypeBox's `Module`, which
 * resolves a union only from a tuple of members (an array of them gives `never`), and a
 * contract's event names are a union, not a tuple.
 */
export type PublishRouteBody<Contract extends AnyEventsContract> = TUnsafe<PublishBody<Contract>>;

const TOPIC_DESCRIPTION = 'The topic to publish to (a name, never a pattern), e.g. "orders/42". Not with `topics`.';
const TOPICS_DESCRIPTION = "1 to 8 topics to publish one event to (one id; a client following several gets it once). Not with `topic`.";

function topicSchema(patterns: readonly string[] | undefined): TSchema {
  if (patterns === undefined) return Type.String();
  const members = patterns.map((text): TSchema => {
    const pattern = parseTopicPattern(text);
    switch (pattern.kind) {
      case "all":
        return Type.String();
      case "prefix":
        return Type.TemplateLiteral([Type.Literal(`${pattern.prefix}/`), Type.String()]);
      case "exact":
        return Type.Literal(pattern.topic);
    }
  });
  return members.length === 1 && members[0] !== undefined ? members[0] : Type.Union(members);
}

/**
 * Builds the publish body union of a contract (topic patterns must be valid: the plugin checks
 * them first).
 * @example
 * publishBodySchema(defineEvents({ "order.updated": Type.Object({ id: Type.String() }) }));
 * // Union[{ event: "order.updated", topic?, topics?, data: { id: string } }]
 */
export function publishBodySchema<Contract extends AnyEventsContract>(contract: Contract): PublishBodySchema<Contract> {
  const members = contract.names.map((name) => {
    const definition = contract.events[name];
    if (definition === undefined) throw new TypeError(`contract names ${JSON.stringify(name)} but does not define it`);
    const event = Type.Literal(name, { description: name === "message" ? 'The SSE event name; "message" when left out.' : "The SSE event name." });
    const topic = topicSchema(definition.topics);
    return Type.Object(
      {
        event: name === "message" ? Type.Optional(event) : event,
        topic: Type.Optional({ ...topic, description: TOPIC_DESCRIPTION }),
        topics: Type.Optional(Type.Array(topic, { description: TOPICS_DESCRIPTION })),
        data: definition.data,
      },
      { additionalProperties: false, title: name },
    );
  });
  return Type.Union(members) as unknown as PublishBodySchema<Contract>;
}
