/**
 * The events service: opens one client's SSE stream, broadcasts triggers and publishes
 * events to topics, on top of a broker. Knows nothing about HTTP routing; the route module
 * maps requests onto it. Two paths share its counters and its local subscribers: opening
 * streams (`stream-opener.ts`) and storing events (`event-writer.ts`).
 */
import { DEFAULT_TOPIC } from "@events/sse-core";
import type { PublishRequest, PublishResponse, TriggerResponse } from "@events/contract";
import { EventWriter, type PublishOptions, type TriggerOptions } from "./event-writer.ts";
import { LocalSubscribers } from "./local-subscribers.ts";
import { EventsStats } from "./stats.ts";
import { type HeadStreamInput, type OpenStreamInput, StreamOpener, type StreamOpenerOptions } from "./stream-opener.ts";

/** What {@link EventsService} is built from: what its stream opener reads, and the default topic. */
export interface EventsServiceOptions extends StreamOpenerOptions {
  /** The topic of a stream without topics and of a trigger without one. @default "events" */
  readonly defaultTopic?: string;
}

/** Opens streams and publishes triggers. One per app. */
export class EventsService {
  /** What this service counts; `/metrics` reads it. */
  readonly stats: EventsStats = new EventsStats();
  readonly #defaultTopic: string;
  readonly #streams: StreamOpener;
  readonly #writer: EventWriter;

  constructor(options: EventsServiceOptions) {
    this.#defaultTopic = options.defaultTopic ?? DEFAULT_TOPIC;
    // One frozen list for both paths: every default-topic stream and trigger shares it.
    const defaultTopics = Object.freeze([this.#defaultTopic] as const);
    // The streams of this node by their topics: the opener adds them, the writer counts them.
    const local = new LocalSubscribers();
    this.#streams = new StreamOpener(options, defaultTopics, this.stats, local);
    this.#writer = new EventWriter(options.broker, defaultTopics, this.stats, local);
  }

  /** The topic of a stream without topics and of a trigger without one. */
  get defaultTopic(): string {
    return this.#defaultTopic;
  }

  /** Answers `GET /events/stream`: see {@link StreamOpener.openStream}. */
  openStream(input: OpenStreamInput = {}): Response {
    return this.#streams.openStream(input);
  }

  /** Answers `HEAD /events/stream`: see {@link StreamOpener.headStream}. */
  headStream(input: HeadStreamInput = {}): Response {
    return this.#streams.headStream(input);
  }

  /** Answers `POST /events/trigger`: see {@link EventWriter.trigger}. */
  trigger(message: string, options: TriggerOptions = {}): TriggerResponse | Promise<TriggerResponse> {
    return this.#writer.trigger(message, options);
  }

  /** Answers `POST /events/publish`: see {@link EventWriter.publish}. */
  publish(body: PublishRequest, options: PublishOptions = {}): PublishResponse | Promise<PublishResponse> {
    return this.#writer.publish(body, options);
  }

  /** Answers `POST /events/publish` with an array: see {@link EventWriter.publishBatch}. */
  publishBatch(bodies: readonly PublishRequest[], options: Pick<PublishOptions, "check" | "permit"> = {}): PublishResponse[] | Promise<PublishResponse[]> {
    return this.#writer.publishBatch(bodies, options);
  }
}
