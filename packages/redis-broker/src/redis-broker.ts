import {
  assertValidEventName,
  type Broker,
  type BrokerHealth,
  createStoredEvent,
  normalizeLastEventId,
  type PublishInput,
  RemoteFanOut,
  resolvePublishBatch,
  resolvePublishTopics,
  resolveSubscribeTopics,
  SseError,
  type StoredEvent,
  type SubscribedTopic,
  type SubscribeOptions,
  type SubscriberHandlers,
  type Subscription,
  type TopicDelivery,
} from "@events/sse-core";
import { createConnection, publishFailure, type RedisConnection, redactUrl, unavailable, whenReady } from "./connection.ts";
import { historyGapReason } from "./find-gap.ts";
import { brokerKeys, type BrokerKeys } from "./keys.ts";
import { type RedisBrokerOptions, type ResolvedRedisBrokerOptions, resolveRedisBrokerOptions } from "./options.ts";
import { definePublishScript, type PublishReply, runPublishScript } from "./publish-script.ts";
import { deliveryTopic, planFullReplay, planResume, type ReplayPlan } from "./replay-plan.ts";
import { ResumeReader } from "./resume-reader.ts";
import { defineResumeScript, type ResumeSnapshot, runResumeScript } from "./resume-script.ts";
import { entryToStoredEvent } from "./stored-event.ts";
import { compareStreamIds, ORIGIN_STREAM_ID, parseStreamId, type StreamId } from "./stream-id.ts";
import { type RawEntry, StreamReader } from "./stream-reader.ts";

/**
 * A {@link Broker} on Redis Streams, so several server nodes share one history of many topics.
 *
 * Each topic's history is a stream of its own (`<streamKey>:t:<topic>`), so a resume reads the
 * subscribed topics only. One Lua script per publish assigns the next id from one shared
 * last-id (Redis-style `<ms>-<seq>`, strictly increasing across all topics and nodes) and adds
 * the entry to each of the event's topic streams and to the node-wide live stream
 * (`<streamKey>:live`), in one atomic step. Each broker runs one blocking reader (`XREAD
 * BLOCK` on the live stream, on its own connection) and fans every entry out to its local
 * subscribers through a `TopicIndex`, encoding each frame once. Resuming is a second script
 * that reads the subscribed topics after the Last-Event-ID in one atomic step, merged by id;
 * resumes of the same topics arriving together share one such read (a reconnect storm costs a
 * few reads, not one per client), each cut after its own Last-Event-ID.
 * While Redis is unreachable publishes fail with `BROKER_UNAVAILABLE` (or `PUBLISH_UNCONFIRMED`
 * when a command was sent and got no answer in time), subscriptions stay open, and the reader
 * reconnects with backoff and resumes after the last entry it delivered.
 *
 * @example
 * ```ts
 * const broker = new RedisBroker({ url: "redis://127.0.0.1:6379", streamKey: "myapp:events" });
 * await broker.subscribe({ onEvent: (event, topic) => console.log(topic, event.id, event.data) }, { topics: ["orders/*"] });
 * await broker.publish({ topics: ["orders/42"], event: "order.updated", data: JSON.stringify({ state: "paid" }) });
 * await broker.close();
 * ```
 */
export class RedisBroker implements Broker {
  /** The options this broker runs with, defaults filled in. */
  readonly options: ResolvedRedisBrokerOptions;
  readonly #keys: BrokerKeys;
  readonly #commands: RedisConnection;
  readonly #reader: StreamReader;
  /** Concurrent resumes of the same topics share one history read (a reconnect storm reads once per batch). */
  readonly #resumes: ResumeReader;
  /** The local subscribers; it also keeps recently fanned-out events, so a replay reuses their frames instead of encoding again. */
  readonly #fanOut: RemoteFanOut<StreamId>;
  /** Counts the reader's resets: a replay read before one must not refill the recent-events cache after it. */
  #history = 0;
  #lastError: string | undefined;
  #closed = false;

  /** Connects in the background; never throws for Redis being down. @throws {SseError} `INVALID_OPTION`. */
  constructor(options: RedisBrokerOptions = {}) {
    this.options = resolveRedisBrokerOptions(options);
    this.#keys = brokerKeys(this.options.streamKey);
    this.#fanOut = new RemoteFanOut<StreamId>({
      compare: compareStreamIds,
      recentSize: this.options.historySize,
      onError: (error) => this.options.onError(error),
    });
    this.#commands = createConnection(this.options, "commands", (error) => {
      this.#lastError = error.message;
    });
    this.#commands.on("ready", () => {
      this.#lastError = undefined;
    });
    definePublishScript(this.#commands);
    defineResumeScript(this.#commands);
    this.#resumes = new ResumeReader(
      (afterId, subscribed) => runResumeScript(this.#commands, this.#keys, afterId, subscribed),
      this.options.maxResumesPerRead,
    );
    this.#reader = new StreamReader(this.options, this.#keys.live, {
      onEntries: (entries) => this.#fanOutEntries(entries),
      onReset: () => {
        // Redis came back without the old history: its new ids may sort below ones already delivered.
        this.#fanOut.forgetAfter();
        this.#fanOut.forgetRecent();
        this.#history += 1;
      },
      onMissed: (afterId, oldestId) => {
        const message =
          `redis: events after ${afterId} were trimmed from the live stream "${this.#keys.live}" (oldest held: ${oldestId}) ` +
          `while this node's reader was disconnected; ending ${this.#fanOut.size} subscriptions so their clients resume with a gap notice`;
        this.options.onError(new SseError("BROKER_UNAVAILABLE", message));
        // Nothing may be lost silently: end the streams, their clients resume from history.
        this.#fanOut.endAll();
      },
      onError: (error) => this.options.onError(error),
    });
    this.#commands.connect().catch(() => {
      // Reported by health() and by the first publish; ioredis keeps retrying.
    });
  }

  /** The number of subscriptions on this node. */
  get subscriberCount(): number {
    return this.#fanOut.size;
  }

  /**
   * Stores the event in each of its topics' history and resolves once Redis stored it.
   * Subscribers (on every node) receive it through their node's reader. With an
   * `idempotencyKey` Redis has seen within `idempotencyWindowMs` (and not forgotten past
   * `maxIdempotencyKeys`), stores nothing and resolves with the first event: its fields while
   * its first topic holds it, else its id with this input's `event`, `data` and `topics`.
   * Rejects with `BROKER_UNAVAILABLE` when Redis surely did not store it (unreachable, or
   * refused the command), `PUBLISH_UNCONFIRMED` when the command was sent but not answered
   * within `commandTimeoutMs` (it may be stored later: retry with the same key),
   * `BROKER_CLOSED` after {@link close}, `INVALID_EVENT_NAME` for a type with CR or LF,
   * `INVALID_TOPIC` for a bad topic list.
   */
  async publish(input: PublishInput): Promise<StoredEvent> {
    if (this.#closed) throw closedError();
    const topics = resolvePublishTopics(input.topics);
    const event = input.event ?? "message";
    assertValidEventName(event);
    const { commandTimeoutMs, url } = this.options;
    try {
      await whenReady(this.#commands, commandTimeoutMs);
    } catch (error) {
      throw unavailable("store the event", url, error);
    }
    let reply: PublishReply;
    try {
      reply = await runPublishScript(this.#commands, this.#keys, this.options, [{ event, data: input.data, topics }], input);
    } catch (error) {
      throw publishFailure(url, error);
    }
    if (!reply.stored && reply.fields !== undefined) return this.#fanOut.recent(reply.id) ?? entryToStoredEvent(reply.id, reply.fields);
    return createStoredEvent(reply.id, event, input.data, topics);
  }

  /**
   * Stores several events in one script call, all or none, with consecutive ids (no other
   * node's publish between them), and resolves with them in input order; every node's reader
   * delivers them in that order. Every input is checked first (`INVALID_TOPIC`,
   * `INVALID_EVENT_NAME` naming its index, `INVALID_OPTION` for an `idempotencyKey`); a script
   * that fails stores nothing. Rejects as {@link publish} otherwise.
   */
  async publishBatch(inputs: readonly PublishInput[]): Promise<StoredEvent[]> {
    if (this.#closed) throw closedError();
    const events = resolvePublishBatch(inputs);
    if (events.length === 0) return [];
    const { commandTimeoutMs, url } = this.options;
    try {
      await whenReady(this.#commands, commandTimeoutMs);
    } catch (error) {
      throw unavailable("store the events", url, error);
    }
    let ids: readonly string[];
    try {
      ({ ids } = await runPublishScript(this.#commands, this.#keys, this.options, events));
    } catch (error) {
      throw publishFailure(url, error);
    }
    return events.map(({ event, data, topics }, index) => createStoredEvent(ids[index] as string, event, data, topics));
  }

  /**
   * Subscribes to `options.topics` from an optional Last-Event-ID: calls `onOpen` (with the
   * gap notice, if any), delivers the replay, then live events, with no hole and no duplicate
   * even while publishes race the subscribe. Rejects with `INVALID_TOPIC_PATTERN` for a bad
   * topic list, `BROKER_UNAVAILABLE` while Redis is unreachable and `BROKER_CLOSED` after
   * {@link close}.
   */
  async subscribe(handlers: SubscriberHandlers, options: SubscribeOptions = {}): Promise<Subscription> {
    if (this.#closed) throw closedError();
    const subscribed = resolveSubscribeTopics(options.topics);
    const lastEventId = normalizeLastEventId(options.lastEventId);
    try {
      await whenReady(this.#commands, this.options.commandTimeoutMs);
    } catch (error) {
      throw unavailable("read the history", this.options.url, error);
    }
    // The reader's start position is fixed before the replay is read, so it delivers every later entry.
    await this.#reader.start().catch((error: unknown) => {
      throw this.#closed ? closedError() : error;
    });
    // Registered before the replay is read: live entries arriving meanwhile wait behind it.
    const subscriber = this.#fanOut.add(handlers, subscribed);
    try {
      const history = this.#history;
      const plan = await this.#plan(lastEventId, subscribed).catch((error: unknown) => {
        throw unavailable("read the history", this.options.url, error);
      });
      if (this.#closed) throw closedError();
      const replay = this.#deliveries(plan.replay, subscribed, history === this.#history);
      const opening = subscriber.replay(plan.cursor, plan.gap, replay);
      // Live entries read meanwhile: those up to `through` were in the replay, the rest follow it.
      const through = parseStreamId(plan.through) as StreamId;
      // They count as part of the replay: delivered before subscribe resolves, a throwing handler fails it.
      for (const buffered of subscriber.buffered) {
        if (compareStreamIds(buffered.position, through) > 0) handlers.onEvent(buffered.event, buffered.topic);
      }
      subscriber.goLive({ after: through });
      return this.#fanOut.subscription(subscriber, opening);
    } catch (error) {
      this.#fanOut.remove(subscriber);
      throw this.#closed ? closedError() : error;
    }
  }

  /** `ok` while Redis is connected; `detail` names the state, the key prefix and the last error. */
  health(): BrokerHealth {
    const where = `${redactUrl(this.options.url)} keys "${this.options.streamKey}:*"`;
    if (this.#closed) return { ok: false, detail: "redis: closed" };
    const status = this.#commands.status;
    if (status !== "ready") {
      return { ok: false, detail: `redis: ${status}${this.#lastError === undefined ? "" : ` (${this.#lastError})`}, ${where}` };
    }
    const reader = this.#reader.started ? `reader ${this.#reader.connected ? "at" : "reconnecting, last read"} ${this.#reader.lastId}` : "reader idle";
    return { ok: true, detail: `redis: connected, ${where}, ${reader}, ${this.#fanOut.size} subscribers` };
  }

  /** Ends every subscription (calling its `onClose`), stops the reader and closes both connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#fanOut.endAll();
    await this.#reader.stop();
    if (this.#commands.status === "ready") await this.#commands.quit().catch(() => this.#commands.disconnect());
    else this.#commands.disconnect();
  }

  /** Works out the gap notice, the cursor, the entries to replay and the live watermark. */
  async #plan(lastEventId: string | undefined, subscribed: readonly SubscribedTopic[]): Promise<ReplayPlan> {
    const ttl = this.options.historyTtlMs;
    if (lastEventId === undefined) {
      const newest = (await this.#commands.hget(this.#keys.ids, "last")) ?? ORIGIN_STREAM_ID;
      return { gap: undefined, cursor: newest, replay: [], through: newest };
    }
    const read = (afterId: string): Promise<ResumeSnapshot> => this.#resumes.read(afterId, subscribed);
    const requested = parseStreamId(lastEventId);
    if (requested === undefined) return planFullReplay(lastEventId, "malformed", subscribed, await read("-"), ttl);
    const snapshot = await read(lastEventId);
    const reason = historyGapReason(lastEventId, snapshot);
    if (reason !== undefined) return planFullReplay(lastEventId, reason, subscribed, await read("-"), ttl);
    return planResume(lastEventId, requested, subscribed, snapshot, ttl);
  }

  /**
   * The replayed entries as events, each with the topic the subscription gets it through.
   * @param remember Whether the entries may go into the recent-events cache (no reset since they were read).
   */
  #deliveries(entries: readonly RawEntry[], subscribed: readonly SubscribedTopic[], remember: boolean): TopicDelivery[] {
    const deliveries: TopicDelivery[] = [];
    // Matching the patterns per entry was a tenth of a 10,000-client storm's CPU: an event of one
    // topic comes through that topic or none, so each topic is matched once per replay.
    let lastTopic: string | undefined;
    let lastMatch: string | undefined;
    for (const [id, fields] of entries) {
      let event = this.#fanOut.recent(id);
      try {
        if (event === undefined) {
          event = entryToStoredEvent(id, fields);
          // Kept like a fanned-out event: the other resumes of a storm reuse its object and its encoded frame.
          if (remember) this.#fanOut.remember(event);
        }
      } catch (error) {
        this.options.onError(error);
        continue;
      }
      const { topics } = event;
      if (topics.length === 1 && topics[0] !== lastTopic) {
        lastTopic = topics[0];
        lastMatch = deliveryTopic(topics, subscribed);
      }
      const topic = topics.length === 1 ? lastMatch : deliveryTopic(topics, subscribed);
      // Only an entry written into a topic stream by something else names none of its topics.
      if (topic !== undefined) deliveries.push({ event, topic });
    }
    return deliveries;
  }

  #fanOutEntries(entries: readonly RawEntry[]): void {
    for (const [id, fields] of entries) {
      let event: StoredEvent;
      try {
        event = entryToStoredEvent(id, fields);
      } catch (error) {
        this.options.onError(error);
        continue;
      }
      this.#fanOut.fanOut(event, parseStreamId(id) as StreamId);
    }
  }
}

function closedError(): SseError {
  return new SseError("BROKER_CLOSED", "the broker is closed; create a new RedisBroker to publish or subscribe again");
}
