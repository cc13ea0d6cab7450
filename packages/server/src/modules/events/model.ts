/**
 * The one contract of the events service: request, response and event payload schemas
 * (TypeBox), shared by the server (validation, OpenAPI), the SDK and the CLI (types
 * through `import type`). Nothing here may be re-declared by hand elsewhere.
 */
import { type Static, Type } from "@sinclair/typebox";

/** The longest message a trigger accepts, in UTF-16 code units. */
export const MAX_MESSAGE_LENGTH = 16_384;

/** Body of `POST /events/trigger`. */
export const TriggerRequest = Type.Object(
  {
    message: Type.String({
      minLength: 1,
      maxLength: MAX_MESSAGE_LENGTH,
      description: "Text broadcast to every connected client, as is (newlines, quotes and HTML included).",
    }),
  },
  { additionalProperties: false },
);
export type TriggerRequest = Static<typeof TriggerRequest>;

/** Success answer of `POST /events/trigger`. */
export const TriggerResponse = Type.Object({
  status: Type.String({ description: 'For example "Event broadcast to 3 clients".' }),
  id: Type.String({ description: "The id of the stored event (resume cursor)." }),
  clients: Type.Integer({ minimum: 0, description: "Clients connected to this node when it was broadcast." }),
});
export type TriggerResponse = Static<typeof TriggerResponse>;

/** Body of every error answer (4xx and 5xx). */
export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String({ description: "A stable machine-readable code, e.g. VALIDATION_FAILED." }),
    message: Type.String({ description: "What is wrong and how to fix it." }),
  }),
});
export type ErrorResponse = Static<typeof ErrorResponse>;

/** `data` of the `connected` event, sent to one client when its stream opens. */
export const ConnectedEventData = Type.Object({
  message: Type.String(),
  clients: Type.Integer({ minimum: 0 }),
  replayed: Type.Integer({
    minimum: 0,
    description: "How many events from history follow this event (after the gap event, if any) before live events.",
  }),
});
export type ConnectedEventData = Static<typeof ConnectedEventData>;

/** `data` of a `message` event (one per trigger). */
export const MessageEventData = Type.Object({ message: Type.String() });
export type MessageEventData = Static<typeof MessageEventData>;

/** `data` of the `gap` event: history cannot cover the requested Last-Event-ID. */
export const GapEventData = Type.Object({
  requestedId: Type.String(),
  oldestId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([
    Type.Literal("too-old"),
    Type.Literal("other-epoch"),
    Type.Literal("malformed"),
    Type.Literal("unknown"),
  ]),
});
export type GapEventData = Static<typeof GapEventData>;

/** The event types on `GET /events/stream`, with the payload each carries. */
export interface StreamEventPayloads {
  connected: ConnectedEventData;
  message: MessageEventData;
  gap: GapEventData;
}
export type StreamEventType = keyof StreamEventPayloads;
