/**
 * `POST /events/trigger`: the request body and the success answer.
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
