/**
 * `GET /events/stream`: the `data` payload (JSON) of each event type the stream carries.
 */
import {
  type Static,
  type TArray,
  type TInteger,
  type TLiteral,
  type TNull,
  type TObject,
  type TOptional,
  type TString,
  type TUnion,
  Type,
} from "@sinclair/typebox";

/** `data` of the `connected` event, sent to one client when its stream opens. */
export const ConnectedEventData: TObject<{ message: TString; clients: TInteger; replayed: TInteger }> = Type.Object({
  message: Type.String(),
  clients: Type.Integer({ minimum: 0 }),
  replayed: Type.Integer({
    minimum: 0,
    description: "How many events from history follow this event (after the gap event, if any) before live events.",
  }),
});
export type ConnectedEventData = Static<typeof ConnectedEventData>;

/** `data` of a `message` event (one per trigger). */
export const MessageEventData: TObject<{ message: TString }> = Type.Object({ message: Type.String() });
export type MessageEventData = Static<typeof MessageEventData>;

/** `data` of the `gap` event: history cannot cover the requested Last-Event-ID. */
export const GapEventData: TObject<{
  requestedId: TString;
  oldestId: TUnion<[TString, TNull]>;
  reason: TUnion<[TLiteral<"too-old">, TLiteral<"other-epoch">, TLiteral<"malformed">, TLiteral<"unknown">]>;
  topics: TOptional<TArray<TString>>;
}> = Type.Object({
  requestedId: Type.String(),
  oldestId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([
    Type.Literal("too-old"),
    Type.Literal("other-epoch"),
    Type.Literal("malformed"),
    Type.Literal("unknown"),
  ]),
  topics: Type.Optional(
    Type.Array(Type.String(), {
      description:
        "The subscribed topics and patterns (as subscribed) whose history cannot cover requestedId. " +
        "Present only when the stream follows more than the default topic.",
    }),
  ),
});
export type GapEventData = Static<typeof GapEventData>;

/**
 * `data` of the `auth-expired` event: the last event of a stream whose token (or `authorize`
 * answer) expired. It carries no `id`, so the client's Last-Event-ID still names the last event
 * it got: reconnect with a fresh token and that id, and nothing is lost.
 */
export const AuthExpiredEventData: TObject<{ message: TString; expiredAt: TString }> = Type.Object({
  message: Type.String(),
  expiredAt: Type.String({ description: "When the token expired: ISO 8601 date-time in UTC, e.g. 2026-12-06T04:00:00.000Z." }),
});
export type AuthExpiredEventData = Static<typeof AuthExpiredEventData>;

/**
 * The event types on `GET /events/stream`, with the payload each carries. Events of
 * `POST /events/publish` carry the publisher's event name and JSON `data` (any value).
 *
 * Every event of a topic other than the default topic (`events`) also carries a `topic:`
 * field line naming the topic it came through ({@link StreamEventTopic}); events of the
 * default topic carry none, exactly as before topics existed.
 */
export interface StreamEventPayloads {
  connected: ConnectedEventData;
  message: MessageEventData;
  gap: GapEventData;
  "auth-expired": AuthExpiredEventData;
}

/** `"connected" | "message" | "gap" | "auth-expired"`. */
export type StreamEventType = keyof StreamEventPayloads;

/**
 * The topic of a stream event, from its `topic:` field line (an SSE field `EventSource`
 * ignores): the topic the client got it through. An event without that line is of the
 * default topic, `"events"`.
 */
export type StreamEventTopic = string;
