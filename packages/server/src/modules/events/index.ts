/**
 * The events routes: `GET {prefix}/stream` (SSE), `POST {prefix}/publish` and, when the contract
 * has a `message` event type, `POST {prefix}/trigger`; 405 with `Allow` for their other methods.
 *
 * Mounted in any Elysia app, they keep their own behaviour: each handler reads and checks its
 * own body and answers its own errors, so Elysia's validation (which follows the host's
 * `normalize` and `aot` settings) and the host's error hooks (which Elysia runs before a
 * plugin's, when added before it) never decide what these routes answer.
 */
import {
  type AnyEventsContract,
  DEFAULT_MAX_PUBLISH_BATCH,
  ErrorResponse,
  goaEvents,
  MessageEventData,
  PublishBatchResponse,
  PublishRequest,
  PublishResponse,
  TriggerRequest,
  TriggerResponse,
} from "@events/contract";
import { MAX_PUBLISH_TOPICS } from "@events/sse-core";
import { type TSchema, Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { answerError } from "../../errors.ts";
import { readJsonBody } from "../../json-body.ts";
import { addMethodStandIns } from "../../method-not-allowed.ts";
import { createBodyCheck } from "./body-check.ts";
import type { EventCheck } from "./contract-checker.ts";
import { MAX_IDEMPOTENCY_KEY_LENGTH, readIdempotencyKey } from "./idempotency-key.ts";
import { checkPublishBatch } from "./publish-input.ts";
import { publishBodySchema, type PublishRouteBody } from "./publish-schema.ts";
import type { EventsService, OpenStreamInput } from "./service.ts";
import { exemptFromIdleTimeout, type IdleTimeoutServer } from "./idle-timeout.ts";
import { createTriggerTokenCheck } from "./trigger-token.ts";
import type { StreamLog } from "../../logging/stream-log.ts";
import type { PublishPermit, RouteGuard, StreamPass } from "../../auth/route-guard.ts";

/** What {@link createEventsModule} needs. */
export interface EventsModuleOptions<Contract extends AnyEventsContract = typeof goaEvents, Prefix extends string = "/events"> {
  readonly service: EventsService;
  /** Largest trigger or publish body read, in bytes. */
  readonly maxBodyBytes: number;
  /** The most events one publish array may carry (`--max-batch`). @default 100 */
  readonly maxBatch?: number;
  /** The bearer token the trigger and publish routes require, or `false` for none. @default false */
  readonly triggerToken?: string | false;
  /** Hears every error these routes answered with 500 INTERNAL. @default ignore */
  readonly onInternalError?: (error: unknown) => void;
  /** The app's event types: the publish route's type and documentation, and whether there is a trigger route. @default goaEvents */
  readonly events?: Contract;
  /** Where the routes live: `{prefix}/stream`, `{prefix}/publish`, `{prefix}/trigger`. @default "/events" */
  readonly prefix?: Prefix;
  /** Holds every publish and trigger to the contract; none accepts any event name with any JSON data. @default none */
  readonly check?: EventCheck | undefined;
  /** Times each stream and logs it when it ends. @default none */
  readonly streamLog?: StreamLog | undefined;
  /**
   * Authorization (auth on): every stream, publish and trigger is authenticated and its topics
   * checked; the trigger token is then one of its credentials. None: the routes are open (the
   * trigger token aside) and take their synchronous paths. @default none
   */
  readonly guard?: RouteGuard | undefined;
}

/**
 * Declares a schema for the route's type and its OpenAPI entry only: Elysia never sees it at run
 * time, so it never validates (the handler checks the body itself; see the module comment).
 */
function typeOnly<Schema>(_schema: Schema): Schema {
  return undefined as unknown as Schema;
}

/**
 * A handler's answer, typed as its success value: the error answers are ready `Response`s,
 * which Elysia sends as they are, whatever the route's declared response types.
 */
function answered<T>(answer: Promise<T | Response>): Promise<T> {
  return answer as Promise<T>;
}

/** The answers of a route that stores an event: `ok` on 200, the JSON error body on every refusal. */
function writeRouteResponses<Ok extends TSchema>(ok: Ok) {
  return {
    200: ok,
    400: ErrorResponse,
    401: ErrorResponse,
    403: ErrorResponse,
    413: ErrorResponse,
    415: ErrorResponse,
    422: ErrorResponse,
    503: ErrorResponse,
  } as const;
}

/**
 * The documented body of the publish route: one alternative per event type, then the array form,
 * each titled, as API viewers list them. (TypeBox makes a union of one member that member.)
 */
function publishBodyDocument(single: TSchema, maxBatch: number): TSchema {
  const members = (single as { anyOf?: TSchema[] }).anyOf ?? [single];
  return Type.Union([...members, Type.Array(single, { minItems: 1, maxItems: maxBatch, title: "batch" })]);
}

/** An OpenAPI response or request body object: JSON of `schema`. */
interface JsonContent {
  description: string;
  required?: boolean;
  content: { "application/json": { schema: TSchema } };
}

/** The same answers as OpenAPI response objects. */
function documentedResponses(responses: Readonly<Record<number, TSchema>>): Record<string, JsonContent> {
  return Object.fromEntries(
    Object.entries(responses).map(([status, schema]): [string, JsonContent] => [
      status,
      { description: status === "200" ? "OK" : "Refused: JSON error", content: { "application/json": { schema } } },
    ]),
  );
}

function jsonRequestBody(schema: TSchema): JsonContent {
  return { description: "JSON", required: true, content: { "application/json": { schema } } };
}

const STREAM_DESCRIPTION = [
  "Server-Sent Events (text/event-stream). Opens with a `retry:` field and a `connected` event",
  '(data `{"message":"Connected to SSE stream","clients":N}`, id = the resume cursor), then a',
  "`gap` event if history cannot cover the requested id, then replayed and live events",
  '(triggers: `message` events with data `{"message":"..."}`; publishes: their event name and JSON data),',
  "with keepalive comments in between. Follows the topics named by the repeatable `topic` query",
  "parameter (names, `<topic>/*` or `*`), or the default topic without one; every event of another",
  "topic than the default carries a `topic:` field line naming it. Resume every topic at once with the",
  "`Last-Event-ID` header (wins) or the `lastEventId` query parameter. 400 INVALID_TOPIC_PATTERN or",
  "TOO_MANY_TOPICS for a bad topic list. With auth on, every topic and pattern must be covered by the",
  "token (Bearer header, auth cookie, or `access_token` when allowed) or be public: 401 without a usable",
  "token, 403 FORBIDDEN_TOPIC naming the first one that is not; the stream ends at the token's expiry",
  'with an `auth-expired` event (data `{"message","expiredAt"}`, no id): reconnect with a fresh token',
  "and Last-Event-ID.",
].join(" ");

/**
 * The OpenAPI security requirement of a route when auth is on: a Bearer token or the auth
 * cookie, or none (public topics). The schemes (`bearer`, `cookie`) are declared by the
 * document the plugin serves; a host serving its own adds them (see the README).
 */
function securityOf(guard: RouteGuard | undefined): { security?: Record<string, string[]>[] } {
  return guard === undefined ? {} : { security: [{ bearer: [] }, { cookie: [] }, {}] };
}

/** The auth answers of every route, documented. */
const AUTH_RESPONSES = {
  401: { description: "UNAUTHORIZED (no usable credentials) or INVALID_TOKEN (the reason; WWW-Authenticate: Bearer error=\"invalid_token\"). Auth on only, or a wrong trigger token." },
  403: { description: "FORBIDDEN_TOPIC naming the topic the token does not cover, or CSRF_REJECTED (a cookie-authenticated write from a foreign Origin). Auth on only." },
};

const TOPIC_PARAMETER_DESCRIPTION =
  "A topic to follow; repeat for several (up to --max-topics, default 32): a name such as `orders/42` " +
  "(1-200 ASCII letters, digits and `-._~:@/`, segments split by `/`), `<topic>/*` for every topic " +
  "under it at any depth, or `*` for all. None: the default topic (`events`).";

const STREAM_PARAMETERS = [
  {
    name: "topic",
    in: "query",
    required: false,
    schema: { type: "array" as const, items: { type: "string" as const } },
    style: "form",
    explode: true,
    description: TOPIC_PARAMETER_DESCRIPTION,
  },
  { name: "lastEventId", in: "query", required: false, schema: { type: "string" as const }, description: "Resume after this event id (first connect)." },
  {
    name: "Last-Event-ID",
    in: "header",
    required: false,
    schema: { type: "string" as const },
    description: "Resume after this event id (sent by EventSource on reconnect).",
  },
];

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

/** The `?topic=` values of a stream request (the parameter repeats); none without it. */
function topicsOf(url: string): readonly string[] | undefined {
  // Most streams name no topic: no URL parsing for them.
  if (!url.includes("topic=")) return undefined;
  return new URL(url).searchParams.getAll("topic");
}

/** `?lastEventId=` of a stream request, read only when the URL has it. */
function lastEventIdOf(url: string): string | undefined {
  if (!url.includes("lastEventId=")) return undefined;
  return new URL(url).searchParams.get("lastEventId") ?? undefined;
}

/** `"/events"` → `"/events"`, `"/events/"` → `"/events"`, `"/"` → `""`. */
function trimPrefix<Prefix extends string>(prefix: Prefix): Prefix {
  return prefix.replace(/\/+$/, "") as Prefix;
}

/** Everything the route builders share. */
interface RouteParts {
  readonly options: EventsModuleOptions<AnyEventsContract, string>;
  /** Authenticates a write, then reads its body; `permit` checks its topics (none without auth). */
  readonly write: <T>(request: Request, then: (body: unknown, permit: PublishPermit | undefined) => T | Promise<T>) => Promise<T>;
  readonly refuse: (route: "trigger" | "publish" | "stream") => (error: unknown) => Response;
}

function buildParts(options: EventsModuleOptions<AnyEventsContract, string>): RouteParts {
  const { service, maxBodyBytes, onInternalError, guard } = options;
  const bodyLimit = { maxBodyBytes };
  // With auth on, the trigger token is one of the guard's credentials.
  const checkToken = guard === undefined ? createTriggerTokenCheck(options.triggerToken ?? false) : undefined;
  // The credentials are checked first, so an unauthorised body is never read.
  const readBody = (request: Request): Promise<unknown> => {
    try {
      checkToken?.(request);
    } catch (error) {
      return Promise.reject(error);
    }
    return readJsonBody(request, bodyLimit);
  };
  return {
    options,
    write: guard === undefined
      ? (request, then) => readBody(request).then((body) => then(body, undefined))
      : (request, then) => guard.write(request).then((permit) => readJsonBody(request, bodyLimit).then((body) => then(body, permit))),
    refuse: (route) => (error) =>
      answerError(error, "UNKNOWN", (answered, original) => {
        if (route === "trigger") service.stats.triggerRejected(answered.code);
        else if (route === "publish") service.stats.publishRejected(answered.code);
        if (answered.code === "INTERNAL") onInternalError?.(original);
      }),
  };
}

function baseRoutes<Contract extends AnyEventsContract, Prefix extends string>(parts: RouteParts, events: Contract, prefix: Prefix) {
  const { service, check, streamLog, guard, maxBatch = DEFAULT_MAX_PUBLISH_BATCH } = parts.options;
  const checkPublish = createBodyCheck(PublishRequest);
  const publishSchema = publishBodySchema(events);
  const publishResponses = writeRouteResponses(PublishResponse);
  const publish = (request: Request, body: unknown, permit: PublishPermit | undefined) =>
    Array.isArray(body)
      ? service.publishBatch(checkPublishBatch(body, request.headers, maxBatch, checkPublish), { check, permit })
      : service.publish(checkPublish(body), { idempotencyKey: readIdempotencyKey(request.headers), check, permit });
  const refuseStream = parts.refuse("stream");
  const refusePublish = parts.refuse("publish");
  const openStream = (request: Request, server: unknown, pass: StreamPass | undefined): Response => {
    try {
      // The header wins: EventSource resends the original URL (with an old ?lastEventId=) on reconnect.
      const lastEventId = request.headers.get("last-event-id") ?? lastEventIdOf(request.url);
      const topics = topicsOf(request.url);
      const onClose = streamLog?.(request, topics?.length || 1);
      const input: OpenStreamInput = onClose === undefined ? { lastEventId, topics } : { lastEventId, topics, onClose };
      const response = service.openStream(pass === undefined ? input : { ...input, admit: pass.admit, endsAtMs: pass.endsAtMs });
      exemptFromIdleTimeout(server as IdleTimeoutServer | null, request);
      return response;
    } catch (error) {
      return refuseStream(error);
    }
  };
  const headStream = (request: Request, pass: StreamPass | undefined): Response => {
    try {
      return pass === undefined ? service.headStream() : service.headStream({ topics: topicsOf(request.url), admit: pass.admit });
    } catch (error) {
      return refuseStream(error);
    }
  };
  return (
    new Elysia({ name: "events/events", seed: `${prefix} ${events.names.join(",")}`, prefix })
      // A last resort for whatever reaches Elysia's error hooks on these routes (the handlers
      // answer their own errors): local, so no other route of the app is touched.
      .onError(({ error, code }) => answerError(error, code, (answered, original) => {
        if (answered.code === "INTERNAL") parts.options.onInternalError?.(original);
      }))
      .get(
        "/stream",
        // Without auth, synchronous: no promise on the way to an open stream.
        ({ request, server }) =>
          guard === undefined ? openStream(request, server, undefined) : guard.stream(request).then((pass) => openStream(request, server, pass), refuseStream),
        {
          detail: {
            summary: "Stream events (SSE)",
            description: STREAM_DESCRIPTION,
            tags: ["events"],
            parameters: STREAM_PARAMETERS,
            ...securityOf(guard),
            responses: {
              200: { description: STREAM_DESCRIPTION, content: { "text/event-stream": { schema: { type: "string" } } } },
              400: { description: "INVALID_TOPIC_PATTERN or TOO_MANY_TOPICS (JSON error naming the topic)." },
              ...AUTH_RESPONSES,
              503: { description: "Too many clients, shutting down, broker unavailable, or AUTH_UNAVAILABLE (JSON error, Retry-After)." },
            },
          },
        },
      )
      // Without its own HEAD route, Elysia 1.4 answers HEAD by running the GET handler and reading
      // the whole body to set Content-Length: on an endless stream that never answers, buffers
      // every event, and holds a client slot for good.
      .head(
        "/stream",
        ({ request }) => (guard === undefined ? headStream(request, undefined) : guard.stream(request).then((pass) => headStream(request, pass), refuseStream)),
        { detail: { hide: true } },
      )
      .post(
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
      )
  );
}

type BaseRoutes<Contract extends AnyEventsContract, Prefix extends string> = ReturnType<typeof baseRoutes<Contract, Prefix>>;

function withTriggerRoute<Contract extends AnyEventsContract, Prefix extends string>(app: BaseRoutes<Contract, Prefix>, parts: RouteParts, events: Contract) {
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

/**
 * The routes of {@link createEventsModule}: stream and publish, and the trigger when the
 * contract has a `message` event type. Inferred from the route builders on purpose: it is the
 * route contract Eden reads through the app's type.
 */
export type EventsRoutes<Contract extends AnyEventsContract, Prefix extends string> = "message" extends Contract["names"][number]
  ? ReturnType<typeof withTriggerRoute<Contract, Prefix>>
  : BaseRoutes<Contract, Prefix>;

/**
 * Builds the events routes on a service.
 * @example
 * app.use(createEventsModule({ service, maxBodyBytes: 131072, events: shopEvents, check: createContractCheck(shopEvents) }))
 */
export function createEventsModule<const Contract extends AnyEventsContract = typeof goaEvents, const Prefix extends string = "/events">(
  options: EventsModuleOptions<Contract, Prefix>,
): EventsRoutes<Contract, Prefix> {
  const events = options.events ?? (goaEvents as AnyEventsContract as Contract);
  const prefix = trimPrefix(options.prefix ?? ("/events" as Prefix));
  const parts = buildParts(options);
  const app = baseRoutes(parts, events, prefix);
  addMethodStandIns(app, "/stream", ["GET", "HEAD"]);
  addMethodStandIns(app, "/publish", ["POST"]);
  if (!events.names.includes("message")) return app as EventsRoutes<Contract, Prefix>;
  addMethodStandIns(app, "/trigger", ["POST"]);
  return withTriggerRoute(app, parts, events) as EventsRoutes<Contract, Prefix>;
}
