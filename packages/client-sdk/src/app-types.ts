/**
 * The app's contract, read from its Elysia `App` type: the body of `POST {prefix}/publish` is a
 * union with one member per event type, `{ event: name, topic?, topics?, data }` (`event`
 * optional for `message`), so event name → data and topics come out of it with `Extract`.
 * Types only: nothing here exists at run time.
 */
import type { ContractEvent, StreamConnectedEvent, StreamGapEvent, UnknownEventMode, UnknownStreamEvent, UntypedStreamEvent } from "./events.ts";

/** The default route prefix of the events plugin. */
export type DefaultPrefix = "/events";

/** `"/api/events"` → `["api", "events"]`; `""` and `"/"` → `[]` (Elysia's route tree keys). */
type PathSegments<Path extends string> = Path extends `/${infer Rest}`
  ? PathSegments<Rest>
  : Path extends ""
    ? []
    : Path extends `${infer Head}/${infer Rest}`
      ? [Head, ...PathSegments<Rest>]
      : [Path];

/** The node of Elysia's route tree (`App["~Routes"]`) at `Segments`, or `never`. */
type RouteAt<Routes, Segments extends readonly string[]> = Segments extends [infer Head extends string, ...infer Rest extends string[]]
  ? Head extends keyof Routes
    ? RouteAt<Routes[Head], Rest>
    : never
  : Routes;

/** Whether the client was created without an `App` type (then nothing is typed by a contract). */
type IsUntyped<App> = unknown extends App ? true : false;

/** The body of `POST {Prefix}/publish` in `App`: a union with one member per event type (`never` when the route is missing). */
export type PublishBodyOf<App, Prefix extends string = DefaultPrefix> = App extends { readonly "~Routes": infer Routes }
  ? RouteAt<Routes, [...PathSegments<Prefix>, "publish", "post"]> extends { readonly body: infer Body }
    ? Body
    : never
  : never;

/** The event name of one body member (`"message"` for a member whose `event` is optional). */
type NameOf<Body> = Body extends { readonly event?: infer Name } ? Exclude<Name, undefined> & string : never;

/** The topics a body member may be published to: its `topic` type (`` `orders/${string}` `` for a pattern), else `string`. */
type TopicOf<Body> = Body extends { readonly topic?: infer Topic } ? (string extends Exclude<Topic, undefined> ? string : Exclude<Topic, undefined> & string) : string;

/** The event names of an `App`'s contract (`string` without an `App`). */
export type EventNameOf<App, Prefix extends string = DefaultPrefix> = IsUntyped<App> extends true ? string : NameOf<PublishBodyOf<App, Prefix>>;

/** The `data` type of event `Name` of an `App`'s contract. */
export type EventDataOf<App, Name extends string, Prefix extends string = DefaultPrefix> = IsUntyped<App> extends true
  ? unknown
  : Extract<PublishBodyOf<App, Prefix>, { readonly event?: Name }> extends { readonly data: infer Data }
    ? Data
    : never;

/** One {@link ContractEvent} per member of a publish body union. */
type ContractEventOf<Body> = Body extends { readonly data: infer Data } ? ContractEvent<NameOf<Body>, Data, TopicOf<Body>> : never;

/**
 * What a stream of `App` yields: `connected`, `gap`, one {@link ContractEvent} per event type of
 * its contract (a discriminated union on `type`), and {@link UnknownStreamEvent} unless `Mode`
 * is `"skip"`. Without an `App`: `connected`, `gap` and {@link UntypedStreamEvent}.
 */
export type StreamEventOf<App, Prefix extends string = DefaultPrefix, Mode extends UnknownEventMode = "yield"> =
  IsUntyped<App> extends true
    ? StreamConnectedEvent | StreamGapEvent | UntypedStreamEvent
    : StreamConnectedEvent | StreamGapEvent | ContractEventOf<PublishBodyOf<App, Prefix>> | (Mode extends "skip" ? never : UnknownStreamEvent);

/** Where a publish goes: one topic, or 1 to 8 topics (one event, one id; a client following several gets it once). */
export type PublishTarget<Topic extends string = string> =
  | { readonly topic: Topic; readonly topics?: never }
  | { readonly topics: readonly Topic[]; readonly topic?: never };

/** The `event` field of one body member: optional where the route's is (the `message` event). */
type EventField<Body> = {} extends Pick<Body, "event" & keyof Body> ? { readonly event?: NameOf<Body> } : { readonly event: NameOf<Body> };

/** One publish input per member of a publish body union. */
type PublishInputOfBody<Body> = Body extends { readonly data: infer Data } ? PublishTarget<TopicOf<Body>> & EventField<Body> & { readonly data: Data } : never;

/** A publish without an `App`: any event name (default `"message"`) and any JSON `data`. */
export type UntypedPublishInput = PublishTarget & {
  /**
   * The event type (its `event:` line), e.g. `"order.updated"`: one line; the server refuses
   * the stream's own `connected` and `gap`.
   * @default undefined (the server's default, `"message"`)
   */
  readonly event?: string;
  /** Any JSON value; subscribers receive it parsed as the event's `data`. */
  readonly data: unknown;
};

/**
 * What `publish()` takes for `App`: `{ topic | topics, event, data }` with `data` typed by
 * `event` (a wrong payload, an unknown name or a topic outside the event's patterns does not
 * compile; `event` may be left out for `message`).
 */
export type PublishInputOf<App, Prefix extends string = DefaultPrefix> = IsUntyped<App> extends true ? UntypedPublishInput : PublishInputOfBody<PublishBodyOf<App, Prefix>>;
