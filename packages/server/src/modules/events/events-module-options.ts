import type { AnyEventsContract, goaEvents } from "@events/contract";
import type { RouteGuard } from "../../auth/route-guard.ts";
import type { StreamLog } from "../../logging/stream-log.ts";
import type { EventCheck } from "./contract-checker.ts";
import type { EventsService } from "./service.ts";

/** What `createEventsModule` (the events routes, `index.ts`) needs. */
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
