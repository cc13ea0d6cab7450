/**
 * `GET {prefix}/stream` (the SSE stream) and its `HEAD`, with their OpenAPI entry: reads the
 * resume id and the topics from the request, then lets the service open the stream.
 */
import type { StreamPass } from "../../auth/route-guard.ts";
import { exemptFromIdleTimeout, type IdleTimeoutServer } from "./idle-timeout.ts";
import type { ModuleApp, RouteParts } from "./route-parts.ts";
import { securityOf } from "./route-schemas.ts";
import type { OpenStreamInput } from "./stream-opener.ts";

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

/** Adds the stream route and its `HEAD` to the module's app. */
export function withStreamRoutes<Prefix extends string>(app: ModuleApp<Prefix>, parts: RouteParts) {
  const { service, streamLog, guard } = parts.options;
  const refuseStream = parts.refuse("stream");
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
    app
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
  );
}

/** The module's app with its stream routes. */
export type StreamRoutes<Prefix extends string> = ReturnType<typeof withStreamRoutes<Prefix>>;
