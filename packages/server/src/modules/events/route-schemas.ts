/**
 * What the events routes declare besides their handlers: the types Eden reads (never validated
 * at run time: each handler checks its own body) and their OpenAPI entries.
 */
import { ErrorResponse } from "@events/contract";
import type { TSchema } from "@sinclair/typebox";
import type { RouteGuard } from "../../auth/route-guard.ts";
import { MAX_IDEMPOTENCY_KEY_LENGTH } from "./idempotency-key.ts";

/**
 * Declares a schema for the route's type and its OpenAPI entry only: Elysia never sees it at run
 * time, so it never validates (the handler checks the body itself; see `index.ts`).
 */
export function typeOnly<Schema>(_schema: Schema): Schema {
  return undefined as unknown as Schema;
}

/**
 * A handler's answer, typed as its success value: the error answers are ready `Response`s,
 * which Elysia sends as they are, whatever the route's declared response types.
 */
export function answered<T>(answer: Promise<T | Response>): Promise<T> {
  return answer as Promise<T>;
}

/** The answers of a route that stores an event: `ok` on 200, the JSON error body on every refusal. */
export function writeRouteResponses<Ok extends TSchema>(ok: Ok) {
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

/** An OpenAPI response or request body object: JSON of `schema`. */
interface JsonContent {
  description: string;
  required?: boolean;
  content: { "application/json": { schema: TSchema } };
}

/** The same answers as OpenAPI response objects. */
export function documentedResponses(responses: Readonly<Record<number, TSchema>>): Record<string, JsonContent> {
  return Object.fromEntries(
    Object.entries(responses).map(([status, schema]): [string, JsonContent] => [
      status,
      { description: status === "200" ? "OK" : "Refused: JSON error", content: { "application/json": { schema } } },
    ]),
  );
}

/** A required JSON request body of `schema`, as OpenAPI documents it. */
export function jsonRequestBody(schema: TSchema): JsonContent {
  return { description: "JSON", required: true, content: { "application/json": { schema } } };
}

/**
 * The OpenAPI security requirement of a route when auth is on: a Bearer token or the auth
 * cookie, or none (public topics). The schemes (`bearer`, `cookie`) are declared by the
 * document the plugin serves; a host serving its own adds them (see the README).
 */
export function securityOf(guard: RouteGuard | undefined): { security?: Record<string, string[]>[] } {
  return guard === undefined ? {} : { security: [{ bearer: [] }, { cookie: [] }, {}] };
}

/** The `Idempotency-Key` header of the publish and trigger routes, documented. */
export const IDEMPOTENCY_KEY_PARAMETER = {
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
