/**
 * `POST /events/trigger`: the request body and the success answer.
 */
import { type Static, type TInteger, type TObject, type TOptional, type TString, Type } from "@sinclair/typebox";

/** The longest message a trigger accepts, in UTF-16 code units. */
export const MAX_MESSAGE_LENGTH = 16_384;

/** Body of `POST /events/trigger`. */
export const TriggerRequest: TObject<{ message: TString; topic: TOptional<TString> }> = Type.Object(
  {
    message: Type.String({
      minLength: 1,
      maxLength: MAX_MESSAGE_LENGTH,
      description: "Text broadcast to every client of the topic, as is (newlines, quotes and HTML included).",
    }),
    topic: Type.Optional(
      Type.String({
        description: 'The topic to publish to (a name, never a pattern), e.g. "orders/42". Default: the server\'s default topic ("events").',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TriggerRequest = Static<typeof TriggerRequest>;

/** Success answer of `POST /events/trigger`. */
export const TriggerResponse: TObject<{ status: TString; id: TString; clients: TInteger }> = Type.Object({
  status: Type.String({ description: 'For example "Event broadcast to 3 clients".' }),
  id: Type.String({ description: "The id of the stored event (resume cursor)." }),
  clients: Type.Integer({
    minimum: 0,
    description: "Streams on this node following the event's topic when it was stored (other nodes' clients not counted).",
  }),
});
export type TriggerResponse = Static<typeof TriggerResponse>;
