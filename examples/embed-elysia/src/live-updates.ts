/**
 * The events plugin as the shop mounts it: the shop's contract, at `/events` (the prefix every
 * client assumes by default: the SDK, events-cli, the docs' curl lines), its streams opened
 * to whom the shop's `authorize` hook says, its HTTP publish route guarded by a token (the
 * shop's own code publishes in process and needs none).
 */
import { type AuthorizeHook, type EventsPlugin, eventsPlugin } from "@events/server";
import type { Broker } from "@events/sse-core";
import { events } from "./events.ts";

/** Where the plugin's routes live: `/events/stream`, `/events/publish`. */
export const LIVE_PREFIX = "/events";

/** The shop's events plugin: the Elysia plugin, plus `publisher` for code outside a request. */
export type LiveUpdates = EventsPlugin<typeof events, typeof LIVE_PREFIX>;

/** Options of {@link createLiveUpdates}. */
export interface LiveUpdatesOptions {
  /**
   * The token other services (and events-cli `--token`) send as `Authorization: Bearer` to
   * `POST /events/publish`; `false` leaves that route open (fine on a laptop, not in production).
   * @default false
   */
  readonly publishToken?: string | false;
  /** Where events are stored; a Redis broker shares them between several nodes. @default a new MemoryBroker */
  readonly broker?: Broker;
  /** Abort to end every stream (at shutdown). @default never */
  readonly signal?: AbortSignal;
  /** Who may follow and publish what (`orderFollowers(store)`); none: anyone may follow any order. @default none */
  readonly authorize?: AuthorizeHook;
}

/** Builds the shop's events plugin. */
export function createLiveUpdates(options: LiveUpdatesOptions = {}): LiveUpdates {
  return eventsPlugin({
    events,
    prefix: LIVE_PREFIX,
    triggerToken: options.publishToken ?? false,
    ...(options.broker === undefined ? {} : { broker: options.broker }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.authorize === undefined ? {} : { authorize: options.authorize }),
  });
}
