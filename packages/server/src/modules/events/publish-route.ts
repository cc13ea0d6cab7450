/**
 * `POST {prefix}/publish`: one event to topics, or an array of them as one batch, with its
 * OpenAPI entry. The handler reads and checks its own body (Elysia never parses it).
 */
import {
  type AnyEventsContract,
  DEFAULT_MAX_PUBLISH_BATCH,
  PublishBatchResponse,
  PublishRequest,
  PublishResponse,
} from "@events/contract";
import { MAX_PUBLISH_TOPICS } from "@events/sse-core";
import { type TSchema, Type } from "@sinclair/typebox";
import type { PublishPermit } from "../../auth/route-guard.ts";
import { createBodyCheck } from "./body-check.ts";
import { readIdempotencyKey } from "./idempotency-key.ts";
import { checkPublishBatch } from "./publish-input.ts";
import { publishBodySchema, type PublishRouteBody } from "./publish-schema.ts";
import type { RouteParts } from "./route-parts.ts";
import {
  answered,
  documentedResponses,
  IDEMPOTENCY_KEY_PARAMETER,
  jsonRequestBody,
  securityOf,
  typeOnly,
  writeRouteResponses,
} from "./route-schemas.ts";
import type { StreamRoutes } from "./stream-route.ts";

/**
 * The documented body of the publish route: one alternative per event type, then the array form,
 * each titled, as API viewers list them. (TypeBox makes a union of one member that member.)
 */
function publishBodyDocument(single: TSchema, maxBatch: number): TSchema {
  const members = (single as { anyOf?: TSchema[] }).anyOf ?? [single];
  return Type.Union([...members, Type.Array(single, { minItems: 1, maxItems: maxBatch, title: "batch" })]);
}

/** Adds the publish route to the module's app (after its stream routes). */
export function withPublishRoute<Contract extends AnyEventsContract, Prefix extends string>(app: StreamRoutes<Prefix>, parts: RouteParts, events: Contract) {
  const { service, check, guard, maxBatch = DEFAULT_MAX_PUBLISH_BATCH } = parts.options;
  const checkPublish = createBodyCheck(PublishRequest);
  const publishSchema = publishBodySchema(events);
  const publishResponses = writeRouteResponses(PublishResponse);
  const publish = (request: Request, body: unknown, permit: PublishPermit | undefined) =>
    Array.isArray(body)
      ? service.publishBatch(checkPublishBatch(body, request.headers, maxBatch, checkPublish), { check, permit })
      : service.publish(checkPublish(body), { idempotencyKey: readIdempotencyKey(request.headers), check, permit });
  const refusePublish = parts.refuse("publish");
  return app.post(
    "/publish",
    ({ request }) =>
      answered(
        parts
          // The array form's answer is an array; the route's declared type stays the single form's (Eden, the SDK).
          .write(request, (body, permit) => publish(request, body, permit) as PublishResponse | Promise<PublishResponse>)
          .catch(refusePublish),
      ),
    {
      // Elysia never reads the body: the handler does (size limit, charset, duplicate keys).
      parse: "none",
      body: typeOnly(publishSchema as unknown as PublishRouteBody<Contract>),
      response: typeOnly(publishResponses),
      detail: {
        summary: "Publish an event to topics",
        description:
          'Stores one event (one id) with `data` written as its JSON text, under `event` (default "message"), in the ' +
          `history of \`topic\` or of each of \`topics\` (1 to ${MAX_PUBLISH_TOPICS} names, never patterns), and delivers it ` +
          "to every stream following one of them (once per stream). `clients`: streams on this node following one " +
          "of its topics. No subscriber is not an error. Errors: 400 INVALID_TOPIC (a pattern, both or neither of " +
          "topic and topics, an empty or too long list, a bad name, a topic the event type may not be published to), " +
          "400 INVALID_EVENT_NAME (not an event type of the contract), 400 INVALID_JSON, " +
          "401 UNAUTHORIZED (when a trigger token is set or auth is on) or INVALID_TOKEN, 403 FORBIDDEN_TOPIC (a topic " +
          "the token may not publish to) or CSRF_REJECTED, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE, " +
          "422 VALIDATION_FAILED (no data, an unknown field, a wrong type; for `data`, the message names the JSON " +
          "path and the event), 400 INVALID_IDEMPOTENCY_KEY, 503 BROKER_UNAVAILABLE, 503 PUBLISH_UNCONFIRMED (as for the trigger). " +
          `A JSON array of 1 to ${maxBatch} such objects (server flag --max-batch) publishes them as one batch: every item is ` +
          "checked first (a refusal names its index, e.g. `/2/data/status`, and stores nothing), then all are stored at once " +
          "with consecutive ids (all or none) and delivered to each stream in order; the answer is an array of the single " +
          "answers, in order. An array with no items or too many is 422 VALIDATION_FAILED; an array cannot carry an " +
          "Idempotency-Key (400 INVALID_IDEMPOTENCY_KEY).",
        tags: ["events"],
        ...securityOf(guard),
        parameters: [IDEMPOTENCY_KEY_PARAMETER],
        requestBody: jsonRequestBody(publishBodyDocument(publishSchema, maxBatch)),
        responses: documentedResponses({ ...publishResponses, 200: Type.Union([PublishResponse, PublishBatchResponse]) }),
      },
    },
  );
}

/** The module's stream and publish routes: every route but the trigger's. */
export type BaseRoutes<Contract extends AnyEventsContract, Prefix extends string> = ReturnType<typeof withPublishRoute<Contract, Prefix>>;
