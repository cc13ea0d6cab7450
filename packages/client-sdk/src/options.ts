import { DEFAULT_TOPIC, describeValue } from "@events/sse-core";
import type { DefaultPrefix, EventNameOf } from "./app-types.ts";
import {
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  checkHttpUrl,
  invalidOption,
  resolveConnectionOptions,
  type ConnectionOptions,
  type ResolvedConnectionOptions,
} from "./connection-options.ts";
import { EventsClientError } from "./errors.ts";
import { checkTopicOption } from "./topics.ts";

/**
 * Options of {@link createEventsClient} for an app `App` whose events plugin is mounted at
 * `Prefix`. Every field is optional.
 */
export interface EventsClientOptions<App = unknown, Prefix extends string = DefaultPrefix> extends ConnectionOptions {
  /**
   * Where the events plugin's routes are: `{prefix}/stream`, `{prefix}/publish`,
   * `{prefix}/trigger`. The type follows it: `createEventsClient<App, "/rt">(url, { prefix: "/rt" })`.
   * Empty or `/`-separated segments, no trailing `/`, no query.
   * @default "/events"
   */
  readonly prefix?: Prefix;
  /**
   * The contract's event names (checked against `App`): a stream then yields an event of any
   * other type as unknown (`unknown: true`, or skipped with `onUnknownEvent: "skip"`). Without
   * it the client cannot tell (the contract reaches it as types only) and takes every type
   * as the contract's.
   * @default undefined (every type is the contract's)
   */
  readonly knownEvents?: readonly EventNameOf<App, Prefix>[];
  /**
   * The topic of a stream event without a `topic:` field: the server's default topic (its
   * `--default-topic`), which `trigger()` and a stream without `topics` use.
   * @default "events"
   */
  readonly defaultTopic?: string;
}

/** {@link EventsClientOptions} merged with the defaults and validated. */
export interface ResolvedEventsClientOptions extends ResolvedConnectionOptions {
  /** The base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** The route prefix, `""` or `/a/b`. */
  readonly prefix: string;
  readonly defaultTopic: string;
  readonly knownEvents: ReadonlySet<string> | undefined;
}

/** The default of {@link EventsClientOptions.prefix}. */
export const DEFAULT_PREFIX: DefaultPrefix = "/events";

/**
 * Merges `options` with the defaults and validates them; throws {@link EventsClientError}
 * `INVALID_OPTION` naming the first bad field.
 */
export function resolveEventsClientOptions<App = unknown, Prefix extends string = DefaultPrefix>(
  baseUrl: string,
  options: EventsClientOptions<App, Prefix> = {},
): ResolvedEventsClientOptions {
  const connection = resolveConnectionOptions(options, DEFAULT_HEARTBEAT_TIMEOUT_MS);
  return Object.freeze({
    ...connection,
    baseUrl: checkHttpUrl("baseUrl", baseUrl, false).href.replace(/\/+$/, ""),
    prefix: checkPrefix(options.prefix ?? DEFAULT_PREFIX),
    defaultTopic: checkTopicOption("defaultTopic", options.defaultTopic ?? DEFAULT_TOPIC),
    knownEvents: checkKnownEvents(options.knownEvents),
  });
}

function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== "string" || (prefix !== "" && !/^(?:\/[A-Za-z0-9\-._~:@!$&'()*+,;=%]+)+$/.test(prefix))) {
    invalidOption("prefix", 'must be "" or path segments such as "/events" or "/api/live" (no trailing slash, query or fragment)', prefix);
  }
  return prefix;
}

function checkKnownEvents(names: unknown): ReadonlySet<string> | undefined {
  if (names === undefined) return undefined;
  if (!Array.isArray(names) || !names.every((name) => typeof name === "string" && name !== "")) {
    throw new EventsClientError("INVALID_OPTION", `knownEvents must be a list of event names, e.g. ["order.updated"] (got ${describeValue(names)})`);
  }
  return new Set(names as string[]);
}
