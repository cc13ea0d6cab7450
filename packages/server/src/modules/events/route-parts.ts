/**
 * What the events route builders share: the module's options, the write path (credentials,
 * then the body), the refusal of each route, and the module's own Elysia instance.
 */
import type { AnyEventsContract } from "@events/contract";
import { Elysia } from "elysia";
import type { PublishPermit } from "../../auth/route-guard.ts";
import { answerError } from "../../errors.ts";
import { readJsonBody } from "../../json-body.ts";
import type { EventsModuleOptions } from "./events-module-options.ts";
import { createTriggerTokenCheck } from "./trigger-token.ts";

/** Everything the route builders share. */
export interface RouteParts {
  readonly options: EventsModuleOptions<AnyEventsContract, string>;
  /** Authenticates a write, then reads its body; `permit` checks its topics (none without auth). */
  readonly write: <T>(request: Request, then: (body: unknown, permit: PublishPermit | undefined) => T | Promise<T>) => Promise<T>;
  readonly refuse: (route: "trigger" | "publish" | "stream") => (error: unknown) => Response;
}

/** The shared parts of the routes, from the module's options. */
export function createRouteParts(options: EventsModuleOptions<AnyEventsContract, string>): RouteParts {
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

/**
 * The module's Elysia instance, before any route: named and seeded (Elysia deduplicates plugins
 * by both), under `prefix`, with a local last-resort error hook.
 */
export function createModuleApp<Prefix extends string>(parts: RouteParts, events: AnyEventsContract, prefix: Prefix) {
  return (
    new Elysia({ name: "events/events", seed: `${prefix} ${events.names.join(",")}`, prefix })
      // A last resort for whatever reaches Elysia's error hooks on these routes (the handlers
      // answer their own errors): local, so no other route of the app is touched.
      .onError(({ error, code }) => answerError(error, code, (answered, original) => {
        if (answered.code === "INTERNAL") parts.options.onInternalError?.(original);
      }))
  );
}

/** The module's Elysia instance before its routes are added. */
export type ModuleApp<Prefix extends string> = ReturnType<typeof createModuleApp<Prefix>>;
