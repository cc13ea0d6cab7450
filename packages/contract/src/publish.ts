/**
 * `POST /events/publish`: the request body and the success answer.
 */
import { type Static, type TArray, type TInteger, type TObject, type TOptional, type TString, type TUnknown, Type } from "@sinclair/typebox";

/**
 * Body of `POST /events/publish`: exactly one of `topic` and `topics`, an optional event
 * name and any JSON value as `data`. The schema checks shapes only; the server checks the
 * topic rules (1-200 characters from ASCII letters, digits and `-._~:@/`, no pattern, 1 to 8
 * topics) and the event name, and answers 400 `INVALID_TOPIC` / `INVALID_EVENT_NAME` naming
 * the offending value, so those rules live in one place (`@events/sse-core`).
 */
export const PublishRequest: TObject<{
  topic: TOptional<TString>;
  topics: TOptional<TArray<TString>>;
  event: TOptional<TString>;
  data: TUnknown;
}> = Type.Object(
  {
    topic: Type.Optional(
      Type.String({ description: 'The topic to publish to, e.g. "orders/42" (a name, never a pattern). Not with `topics`.' }),
    ),
    topics: Type.Optional(
      Type.Array(Type.String(), {
        description: "1 to 8 topics to publish one event to (one id; a client following several gets it once). Not with `topic`.",
      }),
    ),
    event: Type.Optional(
      Type.String({
        description: 'The SSE event name (`event:` line), e.g. "order.updated". Default "message". One line, not "connected" or "gap".',
      }),
    ),
    data: Type.Unknown({ description: "Any JSON value; the event's `data:` is its JSON text (JSON.stringify)." }),
  },
  { additionalProperties: false },
);
export type PublishRequest = Static<typeof PublishRequest>;

/** Success answer of `POST /events/publish`. */
export const PublishResponse: TObject<{ id: TString; topics: TArray<TString>; clients: TInteger }> = Type.Object({
  id: Type.String({ description: "The id of the stored event (resume cursor), one id for all its topics." }),
  topics: Type.Array(Type.String(), { description: "The topics it was stored in, in the order given, duplicates removed." }),
  clients: Type.Integer({
    minimum: 0,
    description: "Streams on this node following one of its topics when it was stored (other nodes' clients not counted).",
  }),
});
export type PublishResponse = Static<typeof PublishResponse>;

/** The default of the server's `--max-batch`: the most events one batch publish may carry. */
export const DEFAULT_MAX_PUBLISH_BATCH = 100;

/**
 * Body of `POST /events/publish` in its array form: 1 to `--max-batch` (default 100) publish
 * objects, each exactly the single form, stored atomically (all or none) with consecutive ids
 * and delivered to each subscriber in order. A refused item is named by its index (e.g.
 * `/2/data/status`); nothing of the batch is stored then. The server checks the upper bound.
 */
export const PublishBatchRequest: TArray<typeof PublishRequest> = Type.Array(PublishRequest, {
  minItems: 1,
  description: `1 to --max-batch (default ${DEFAULT_MAX_PUBLISH_BATCH}) events, each as the single form; stored all or none, in order.`,
});
export type PublishBatchRequest = Static<typeof PublishBatchRequest>;

/** Success answer of `POST /events/publish` in its array form: one single answer per item, in order. */
export const PublishBatchResponse: TArray<typeof PublishResponse> = Type.Array(PublishResponse, {
  description: "The answer of each event, in the order sent.",
});
export type PublishBatchResponse = Static<typeof PublishBatchResponse>;
