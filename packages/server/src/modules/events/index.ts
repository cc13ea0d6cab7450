/**
 * The events routes: `GET /events/stream` (SSE) and `POST /events/trigger`.
 */
import { Elysia, t } from "elysia";
import { answerError } from "../../errors.ts";
import { readJsonBody } from "../../json-body.ts";
import { MAX_IDEMPOTENCY_KEY_LENGTH, readIdempotencyKey } from "./idempotency-key.ts";
import { ErrorResponse, TriggerRequest, TriggerResponse } from "@events/contract";
import type { EventsService } from "./service.ts";
import { createTriggerTokenCheck } from "./trigger-token.ts";

/** What {@link createEventsModule} needs. */
export interface EventsModuleOptions {
  readonly service: EventsService;
  /** Largest trigger body read, in bytes. */
  readonly maxBodyBytes: number;
  /** The bearer token `POST /events/trigger` requires, or `false` for none. @default false */
  readonly triggerToken?: string | false;
  /** Hears every error these routes answered with 500 INTERNAL. @default ignore */
  readonly onInternalError?: (error: unknown) => void;
}

const TRIGGER_ROUTE = "/events/trigger";

const STREAM_DESCRIPTION = [
  "Server-Sent Events (text/event-stream). Opens with a `retry:` field and a `connected` event",
  '(data `{"message":"Connected to SSE stream","clients":N}`, id = the resume cursor), then a',
  "`gap` event if history cannot cover the requested id, then replayed and live `message` events",
  '(data `{"message":"..."}`), with keepalive comments in between. Resume with the `Last-Event-ID`',
  "header (wins) or the `lastEventId` query parameter.",
].join(" ");

/**
 * Builds the events routes on a service.
 * Its return type is inferred on purpose: it is the route contract Eden reads through `App`.
 * @example
 * app.use(createEventsModule({ service, maxBodyBytes: 131072 }))
 */
export function createEventsModule(options: EventsModuleOptions) {
  const { service, maxBodyBytes, onInternalError } = options;
  const bodyLimit = { maxBodyBytes };
  const checkToken = createTriggerTokenCheck(options.triggerToken ?? false);
  // The token is checked first, so an unauthorised body is never read.
  const readTrigger = (request: Request, mediaType: string): Promise<unknown> => {
    checkToken?.(request);
    return readJsonBody(request, bodyLimit, mediaType);
  };
  return new Elysia({ name: "events/events" })
    // Local: answers (and counts) the errors of these routes only, whatever app we are mounted in.
    .onError(({ error, code, route }) =>
      answerError(error, code, (answered, original) => {
        if (route === TRIGGER_ROUTE) service.stats.triggerRejected(answered.code);
        if (answered.code === "INTERNAL") onInternalError?.(original);
      }),
    )
    .get(
      "/events/stream",
      // The header wins: EventSource resends the original URL (with an old ?lastEventId=) on reconnect.
      ({ request, query }) => service.openStream({ lastEventId: request.headers.get("last-event-id") ?? query.lastEventId }),
      {
        query: t.Object(
          { lastEventId: t.Optional(t.String({ description: "Resume after this event id (first connect)." })) },
          { additionalProperties: true },
        ),
        detail: {
          summary: "Stream events (SSE)",
          description: STREAM_DESCRIPTION,
          tags: ["events"],
          parameters: [
            {
              name: "Last-Event-ID",
              in: "header",
              required: false,
              schema: { type: "string" },
              description: "Resume after this event id (sent by EventSource on reconnect).",
            },
          ],
          responses: {
            200: { description: STREAM_DESCRIPTION, content: { "text/event-stream": { schema: { type: "string" } } } },
            503: { description: "Too many clients, shutting down, or broker unavailable (JSON error, Retry-After)." },
          },
        },
      },
    )
    // Without its own HEAD route, Elysia 1.4 answers HEAD by running the GET handler and reading
    // the whole body to set Content-Length: on an endless stream that never answers, buffers
    // every event, and holds a client slot for good.
    .head("/events/stream", () => service.headStream(), { detail: { hide: true } })
    .post(
      TRIGGER_ROUTE,
      ({ body, request }) => service.trigger(body.message, { idempotencyKey: readIdempotencyKey(request.headers) }),
      {
        // readTrigger always answers (a value or an HttpError), so Elysia's own JSON parser
        // after it never runs; it is listed so the OpenAPI document names application/json.
        parse: [({ request }, mediaType) => readTrigger(request, mediaType), "application/json"],
        body: TriggerRequest,
        response: {
          200: TriggerResponse,
          400: ErrorResponse,
          401: ErrorResponse,
          413: ErrorResponse,
          415: ErrorResponse,
          422: ErrorResponse,
          503: ErrorResponse,
        },
        detail: {
          summary: "Broadcast a message",
          description:
            'Stores `{"message": ...}` as a `message` event and broadcasts it. Errors: 400 INVALID_JSON, ' +
            "401 UNAUTHORIZED (when a trigger token is set), 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE, " +
            "422 VALIDATION_FAILED, 400 INVALID_IDEMPOTENCY_KEY, 503 BROKER_UNAVAILABLE (not stored: retry), " +
            "503 PUBLISH_UNCONFIRMED (may or may not be stored: retry with the same Idempotency-Key).",
          tags: ["events"],
          parameters: [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              schema: { type: "string", minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH, pattern: "^[!-~]+$" },
              description:
                `Names this event (1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters, no spaces, e.g. a UUID). ` +
                "A trigger repeating a key seen within the broker's window (10 minutes by default) stores nothing " +
                "and answers 200 with the first event's id: retry with the same key after a 503 PUBLISH_UNCONFIRMED, " +
                "a timeout or a dropped connection, and the event is stored at most once.",
            },
          ],
        },
      },
    );
}
