/**
 * `POST {prefix}/trigger`: the Goa trigger (`{"message": ...}` stored as a `message` event), only
 * for a contract with a `message` event type, with its OpenAPI entry.
 */
import { type AnyEventsContract, MessageEventData, TriggerRequest, TriggerResponse } from "@events/contract";
import { createBodyCheck } from "./body-check.ts";
import { readIdempotencyKey } from "./idempotency-key.ts";
import type { BaseRoutes } from "./publish-route.ts";
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

/** Adds the trigger route to the module's app (after its other routes). */
export function withTriggerRoute<Contract extends AnyEventsContract, Prefix extends string>(app: BaseRoutes<Contract, Prefix>, parts: RouteParts, events: Contract) {
  const { service, check, guard } = parts.options;
  const checkTrigger = createBodyCheck(TriggerRequest);
  const definition = events.events["message"];
  // The Goa `message` type stores exactly what a trigger sends: nothing to check per trigger.
  const triggerCheck = check !== undefined && (definition?.data !== MessageEventData || definition.topics !== undefined) ? check : undefined;
  const triggerResponses = writeRouteResponses(TriggerResponse);
  const refuseTrigger = parts.refuse("trigger");
  return app.post(
    "/trigger",
    ({ request }) =>
      answered(
        parts
          .write(request, (body, permit) => {
            const { message, topic } = checkTrigger(body);
            return service.trigger(message, { idempotencyKey: readIdempotencyKey(request.headers), topic, check: triggerCheck, permit });
          })
          .catch(refuseTrigger),
      ),
    {
      parse: "none",
      body: typeOnly(TriggerRequest),
      response: typeOnly(triggerResponses),
      detail: {
        summary: "Broadcast a message",
        description:
          'Stores `{"message": ...}` as a `message` event of `topic` (default: the default topic) and broadcasts it. ' +
          "Errors: 400 INVALID_JSON, 400 INVALID_TOPIC, " +
          "401 UNAUTHORIZED (when a trigger token is set or auth is on) or INVALID_TOKEN, 403 FORBIDDEN_TOPIC or " +
          "CSRF_REJECTED (auth on), 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE, " +
          "422 VALIDATION_FAILED, 400 INVALID_IDEMPOTENCY_KEY, 503 BROKER_UNAVAILABLE (not stored: retry), " +
          "503 PUBLISH_UNCONFIRMED (may or may not be stored: retry with the same Idempotency-Key).",
        tags: ["events"],
        ...securityOf(guard),
        parameters: [IDEMPOTENCY_KEY_PARAMETER],
        requestBody: jsonRequestBody(TriggerRequest),
        responses: documentedResponses(triggerResponses),
      },
    },
  );
}
