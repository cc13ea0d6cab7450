/**
 * The events routes: `GET {prefix}/stream` (SSE), `POST {prefix}/publish` and, when the contract
 * has a `message` event type, `POST {prefix}/trigger`; 405 with `Allow` for their other methods.
 *
 * Mounted in any Elysia app, they keep their own behaviour: each handler reads and checks its
 * own body and answers its own errors, so Elysia's validation (which follows the host's
 * `normalize` and `aot` settings) and the host's error hooks (which Elysia runs before a
 * plugin's, when added before it) never decide what these routes answer.
 */
import { type AnyEventsContract, goaEvents } from "@events/contract";
import { addMethodStandIns } from "../../method-not-allowed.ts";
import type { EventsModuleOptions } from "./events-module-options.ts";
import { type BaseRoutes, withPublishRoute } from "./publish-route.ts";
import { createModuleApp, createRouteParts } from "./route-parts.ts";
import { withStreamRoutes } from "./stream-route.ts";
import { withTriggerRoute } from "./trigger-route.ts";

export type { EventsModuleOptions } from "./events-module-options.ts";

/** `"/events"` → `"/events"`, `"/events/"` → `"/events"`, `"/"` → `""`. */
function trimPrefix<Prefix extends string>(prefix: Prefix): Prefix {
  return prefix.replace(/\/+$/, "") as Prefix;
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
  const parts = createRouteParts(options);
  const app = withPublishRoute(withStreamRoutes(createModuleApp(parts, events, prefix), parts), parts, events);
  addMethodStandIns(app, "/stream", ["GET", "HEAD"]);
  addMethodStandIns(app, "/publish", ["POST"]);
  if (!events.names.includes("message")) return app as EventsRoutes<Contract, Prefix>;
  addMethodStandIns(app, "/trigger", ["POST"]);
  return withTriggerRoute(app, parts, events) as EventsRoutes<Contract, Prefix>;
}
