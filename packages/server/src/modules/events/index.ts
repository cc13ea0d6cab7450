/**
 * The events routes: `GET /events/stream` (SSE), `POST /events/trigger` and `POST /events/publish`.
 */
import { Elysia, t } from "elysia";
import { answerError } from "../../errors.ts";
import { readJsonBody } from "../../json-body.ts";
import { MAX_IDEMPOTENCY_KEY_LENGTH, readIdempotencyKey } from "./idempotency-key.ts";
import { ErrorResponse, PublishRequest, PublishResponse, TriggerRequest, TriggerResponse } from "@events/contract";
import { MAX_PUBLISH_TOPICS } from "@events/sse-core";
import type { TSchema } from "@sinclair/typebox";
import type { EventsService } from "./service.ts";
import { createTriggerTokenCheck } from "./trigger-token.ts";

/** What {@link createEventsModule} needs. */

/** The answers of a route that stores an event: `ok` on 200, the JSON error body on every refusal. */
function writeRouteResponses<Ok extends TSchema>(ok: Ok) {
  return {
    200: ok,
    400: ErrorResponse,
    401: ErrorResponse,
    413: ErrorResponse,
    415: ErrorResponse,
    422: ErrorResponse,
    503: ErrorResponse,
  } as const;
}

export interface EventsModuleOptions {
  readonly service: EventsService;
  /** Largest trigger or publish body read, in bytes. */
  readonly maxBodyBytes: number;
  /** The bearer token `POST /events/trigger` and `POST /events/publish` require, or `false` for none. @default false */
  readonly triggerToken?: string | false;
  /** Hears every error these routes answered with 500 INTERNAL. @default ignore */
  readonly onInternalError?: (error: unknown) => void;
}

const TRIGGER_ROUTE = "/events/trigger";
const PUBLISH_ROUTE = "/events/publish";

const STREAM_DESCRIPTION = [
  "Server-Sent Events (text/event-stream). Opens with a `retry:` field and a `connected` event",
  '(data `{"message":"Connected to SSE stream","clients":N}`, id = the resume cursor), then a',
  "`gap` event if history cannot cover the requested id, then replayed and live events",
  '(triggers: `message` events with data `{"message":"..."}`; publishes: their event name and JSON data),',
  "with keepalive comments in between. Follows the topics named by the repeatable `topic` query",
  "parameter (names, `<topic>/*` or `*`), or the default topic without one; every event of another",
  "topic than the default carries a `topic:` field line naming it. Resume every topic at once with the",
  "`Last-Event-ID` header (wins) or the `lastEventId` query parameter. 400 INVALID_TOPIC_PATTERN or",
  "TOO_MANY_TOPICS for a bad topic list.",
].join(" ");

const TOPIC_PARAMETER_DESCRIPTION =
  "A topic to follow; repeat for several (up to --max-topics, default 32): a name such as `orders/42` " +
  "(1-200 ASCII letters, digits and `-._~:@/`, segments split by `/`), `<topic>/*` for every topic " +
  "under it at any depth, or `*` for all. None: the default topic (`events`).";

/** The `?topic=` values of a stream request (the parameter repeats); none without it. */
function topicsOf(url: string): readonly string[] | undefined {
  // Most streams name no topic: no URL parsing for them.
  if (!url.includes("topic=")) return undefined;
  return new URL(url).searchParams.getAll("topic");
}

const IDEMPOTENCY_KEY_PARAMETER = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  schema: { type: "string", minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH, pattern: "^[!-~]+$" },
  description:
    `Names this event (1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters, no spaces, e.g. a UUID). ` +
    "A request repeating a key seen within the broker's window (10 minutes by default) stores nothing " +
    "and answers 200 with the first event's id: retry with the same key after a 503 PUBLISH_UNCONFIRMED, " +
    "a timeout or a dropped connection, and the event is stored at most once.",
} as const;

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
  const readBody = (request: Request, mediaType: string): Promise<unknown> => {
    checkToken?.(request);
    return readJsonBody(request, bodyLimit, mediaType);
  };
  return new Elysia({ name: "events/events" })
    // Local: answers (and counts) the errors of these routes only, whatever app we are mounted in.
    .onError(({ error, code, route }) =>
      answerError(error, code, (answered, original) => {
        if (route === TRIGGER_ROUTE) service.stats.triggerRejected(answered.code);
        else if (route === PUBLISH_ROUTE) service.stats.publishRejected(answered.code);
        if (answered.code === "INTERNAL") onInternalError?.(original);
      }),
    )
    .get(
      "/events/stream",
      // The header wins: EventSource resends the original URL (with an old ?lastEventId=) on reconnect.
      ({ request, query }) =>
        service.openStream({ lastEventId: request.headers.get("last-event-id") ?? query.lastEventId, topics: topicsOf(request.url) }),
      {
        query: t.Object(
          {
            lastEventId: t.Optional(t.String({ description: "Resume after this event id (first connect)." })),
            // Documents the parameter; the handler reads the raw values itself (topicsOf), so
            // Elysia's array coercion never decides what a topic is.
            topic: t.Optional(t.Array(t.String(), { description: TOPIC_PARAMETER_DESCRIPTION })),
          },
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
            400: { description: "INVALID_TOPIC_PATTERN or TOO_MANY_TOPICS (JSON error naming the topic)." },
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
      ({ body, request }) =>
        service.trigger(body.message, { idempotencyKey: readIdempotencyKey(request.headers), topic: body.topic }),
      {
        // readBody always answers (a value or an HttpError), so Elysia's own JSON parser
        // after it never runs; it is listed so the OpenAPI document names application/json.
        parse: [({ request }, mediaType) => readBody(request, mediaType), "application/json"],
        body: TriggerRequest,
        response: writeRouteResponses(TriggerResponse),
        detail: {
          summary: "Broadcast a message",
          description:
            'Stores `{"message": ...}` as a `message` event of `topic` (default: the default topic) and broadcasts it. ' +
            "Errors: 400 INVALID_JSON, 400 INVALID_TOPIC, " +
            "401 UNAUTHORIZED (when a trigger token is set), 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE, " +
            "422 VALIDATION_FAILED, 400 INVALID_IDEMPOTENCY_KEY, 503 BROKER_UNAVAILABLE (not stored: retry), " +
            "503 PUBLISH_UNCONFIRMED (may or may not be stored: retry with the same Idempotency-Key).",
          tags: ["events"],
          parameters: [IDEMPOTENCY_KEY_PARAMETER],
        },
      },
    )
    .post(
      PUBLISH_ROUTE,
      ({ body, request }) => service.publish(body, { idempotencyKey: readIdempotencyKey(request.headers) }),
      {
        parse: [({ request }, mediaType) => readBody(request, mediaType), "application/json"],
        body: PublishRequest,
        response: writeRouteResponses(PublishResponse),
        detail: {
          summary: "Publish an event to topics",
          description:
            'Stores one event (one id) with `data` written as its JSON text, under `event` (default "message"), in the ' +
            `history of \`topic\` or of each of \`topics\` (1 to ${MAX_PUBLISH_TOPICS} names, never patterns), and delivers it ` +
            "to every stream following one of them (once per stream). `clients`: streams on this node following one " +
            "of its topics. No subscriber is not an error. Errors: 400 INVALID_TOPIC (a pattern, both or neither of " +
            "topic and topics, an empty or too long list, a bad name), 400 INVALID_EVENT_NAME, 400 INVALID_JSON, " +
            "401 UNAUTHORIZED (when a trigger token is set), 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE, " +
            "422 VALIDATION_FAILED (no data, an unknown field, a wrong type), 400 INVALID_IDEMPOTENCY_KEY, " +
            "503 BROKER_UNAVAILABLE, 503 PUBLISH_UNCONFIRMED (as for the trigger).",
          tags: ["events"],
          parameters: [IDEMPOTENCY_KEY_PARAMETER],
        },
      },
    );
}