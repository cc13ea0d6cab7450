import {
  assertValidEventName,
  type Broker,
  type BrokerHealth,
  createStoredEvent,
  type GapNotice,
  normalizeLastEventId,
  type PublishInput,
  SseError,
  type StoredEvent,
  type SubscribeOptions,
  type SubscriberHandlers,
  type Subscription,
} from "@events/sse-core";
import { createConnection, publishFailure, type RedisConnection, redactUrl, unavailable, whenReady } from "./connection.ts";
import { findGap } from "./find-gap.ts";
import { type RedisBrokerOptions, type ResolvedRedisBrokerOptions, resolveRedisBrokerOptions } from "./options.ts";
import { definePublishScript, type PublishReply, runPublishScript } from "./publish-script.ts";
import { entryToStoredEvent } from "./stored-event.ts";
import { compareStreamIds, ORIGIN_STREAM_ID, parseStreamId, type StreamId } from "./stream-id.ts";
import { toStreamFacts } from "./stream-info.ts";
import { type RawEntry, StreamReader } from "./stream-reader.ts";

interface Subscriber {
  readonly handlers: SubscriberHandlers;
  /** Live events that arrived while this subscriber's replay was being read; undefined once live. */
  pending: { event: StoredEvent; id: StreamId }[] | undefined;
  /** Skip live events up to this id (already replayed); cleared once the reader is past it. */
  after: StreamId | undefined;
}

/** What a subscriber resuming from a Last-Event-ID gets. */
interface ReplayPlan {
  readonly gap: GapNotice | undefined;
  readonly cursor: string;
  readonly replay: readonly RawEntry[];
}

/**
 * A {@link Broker} on a Redis stream, so several server nodes share one ordered history.
 *
 * Publish is one script running `XADD <streamKey> MAXLEN ~ <historySize> * event <type> data
 * <data>` (and, for an idempotency key, the check and the record of that key, atomically);
 * the entry id Redis assigns (`1732500000000-0`) is the event id, the same on every node. Each
 * broker runs one blocking reader (`XREAD BLOCK` on its own connection) and fans every new
 * entry out to its local subscribers, encoding the frame once. Resuming is `XRANGE` after
 * the Last-Event-ID, with a gap notice first when the stream no longer covers it. While
 * Redis is unreachable publishes fail with `BROKER_UNAVAILABLE` (or `PUBLISH_UNCONFIRMED`
 * when a command was sent and got no answer in time), subscriptions stay open,
 * and the reader reconnects with backoff and resumes after the last entry it delivered.
 *
 * @example
 * ```ts
 * const broker = new RedisBroker({ url: "redis://127.0.0.1:6379", streamKey: "myapp:events" });
 * await broker.subscribe({ onEvent: (event) => console.log(event.id, event.data) });
 * await broker.publish({ data: JSON.stringify({ message: "hi" }) });
 * await broker.close();
 * ```
 */
export class RedisBroker implements Broker {
  /** The options this broker runs with, defaults filled in. */
  readonly options: ResolvedRedisBrokerOptions;
  readonly #commands: RedisConnection;
  readonly #reader: StreamReader;
  readonly #subscribers = new Set<Subscriber>();
  /** Recently fanned-out events by id, so a replay reuses their frames instead of encoding again. */
  readonly #recent = new Map<string, StoredEvent>();
  #lastError: string | undefined;
  #closed = false;

  /** Connects in the background; never throws for Redis being down. @throws {SseError} `INVALID_OPTION`. */
  constructor(options: RedisBrokerOptions = {}) {
    this.options = resolveRedisBrokerOptions(options);
    this.#commands = createConnection(this.options, "commands", (error) => {
      this.#lastError = error.message;
    });
    this.#commands.on("ready", () => {
      this.#lastError = undefined;
    });
    definePublishScript(this.#commands);
    this.#reader = new StreamReader(this.options, {
      onEntries: (entries) => this.#fanOut(entries),
      onReset: () => {
        // Redis came back without the old history: its new ids may sort below ones already delivered.
        for (const subscriber of this.#subscribers) subscriber.after = undefined;
        this.#recent.clear();
      },
      onMissed: (afterId, oldestId) => {
        const message =
          `redis: events after ${afterId} were trimmed from stream "${this.options.streamKey}" (oldest held: ${oldestId}) ` +
          `while this node's reader was disconnected; ending ${this.#subscribers.size} subscriptions so their clients resume with a gap notice`;
        this.options.onError(new SseError("BROKER_UNAVAILABLE", message));
        // Nothing may be lost silently: end the streams, their clients resume and get a gap notice.
        this.#endAll();
      },
      onError: (error) => this.options.onError(error),
    });
    this.#commands.connect().catch(() => {
      // Reported by health() and by the first publish; ioredis keeps retrying.
    });
  }

  /** The number of subscriptions on this node. */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /**
   * Appends the event to the stream and resolves with its id once Redis stored it.
   * Subscribers (on every node) receive it through their node's reader. With an
   * `idempotencyKey` Redis has seen within `idempotencyWindowMs` (and not forgotten past
   * `maxIdempotencyKeys`), stores nothing and resolves with the first event: its fields while
   * the stream holds it, else its id with this input's `event` and `data`. Rejects with
   * `BROKER_UNAVAILABLE` when Redis surely did not store it (unreachable, or refused the
   * command), `PUBLISH_UNCONFIRMED` when the command was sent but not answered within
   * `commandTimeoutMs` (it may be stored later: retry with the same key), `BROKER_CLOSED`
   * after {@link close}, `INVALID_EVENT_NAME` for a type with CR or LF.
   */
  async publish(input: PublishInput): Promise<StoredEvent> {
    if (this.#closed) throw closedError();
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
      reply = await runPublishScript(this.#commands, this.options, { event, data: input.data, idempotencyKey: input.idempotencyKey });
    } catch (error) {
      throw publishFailure(url, error);
    }
    if (!reply.stored && reply.fields !== undefined) return this.#recent.get(reply.id) ?? entryToStoredEvent(reply.id, reply.fields);
    return createStoredEvent(reply.id, event, input.data);
  }

  /**
   * Subscribes from an optional Last-Event-ID: delivers the gap notice (if any) and the
   * replay through `handlers` before resolving, then live events, with no hole and no
   * duplicate even while publishes race the subscribe. Rejects with `BROKER_UNAVAILABLE`
   * while Redis is unreachable and `BROKER_CLOSED` after {@link close}.
   */
  async subscribe(handlers: SubscriberHandlers, options: SubscribeOptions = {}): Promise<Subscription> {
    if (this.#closed) throw closedError();
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
    const subscriber: Subscriber = { handlers, pending: [], after: undefined };
    // Registered before the replay is read: live entries arriving meanwhile are buffered, not lost.
    this.#subscribers.add(subscriber);
    try {
      const plan = await this.#plan(lastEventId).catch((error: unknown) => {
        throw unavailable("read the history", this.options.url, error);
      });
      if (this.#closed) throw closedError();
      if (plan.gap !== undefined) handlers.onGap?.(plan.gap);
      let after = parseStreamId(plan.cursor) as StreamId;
      for (const [id, fields] of plan.replay) {
        handlers.onEvent(this.#recent.get(id) ?? entryToStoredEvent(id, fields));
        after = parseStreamId(id) as StreamId;
      }
      for (const buffered of subscriber.pending ?? []) {
        if (compareStreamIds(buffered.id, after) <= 0) continue;
        handlers.onEvent(buffered.event);
        after = buffered.id;
      }
      subscriber.after = after;
      subscriber.pending = undefined;
      return {
        cursor: plan.cursor,
        replayed: plan.replay.length,
        gap: plan.gap,
        unsubscribe: (): void => {
          this.#subscribers.delete(subscriber);
        },
      };
    } catch (error) {
      this.#subscribers.delete(subscriber);
      throw this.#closed ? closedError() : error;
    }
  }

  /** `ok` while Redis is connected; `detail` names the state, the stream and the last error. */
  health(): BrokerHealth {
    const where = `${redactUrl(this.options.url)} stream "${this.options.streamKey}"`;
    if (this.#closed) return { ok: false, detail: "redis: closed" };
    const status = this.#commands.status;
    if (status !== "ready") {
      return { ok: false, detail: `redis: ${status}${this.#lastError === undefined ? "" : ` (${this.#lastError})`}, ${where}` };
    }
    const reader = this.#reader.started ? `reader ${this.#reader.connected ? "at" : "reconnecting, last read"} ${this.#reader.lastId}` : "reader idle";
    return { ok: true, detail: `redis: connected, ${where}, ${reader}, ${this.#subscribers.size} subscribers` };
  }

  /** Ends every subscription (calling its `onClose`), stops the reader and closes both connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#endAll();
    await this.#reader.stop();
    if (this.#commands.status === "ready") await this.#commands.quit().catch(() => this.#commands.disconnect());
    else this.#commands.disconnect();
  }

  /** Works out the gap notice, the cursor and the entries to replay for `lastEventId`. */
  async #plan(lastEventId: string | undefined): Promise<ReplayPlan> {
    const key = this.options.streamKey;
    if (lastEventId === undefined) {
      const newest = await this.#commands.xrevrange(key, "+", "-", "COUNT", 1);
      return { gap: undefined, cursor: newest[0]?.[0] ?? ORIGIN_STREAM_ID, replay: [] };
    }
    if (parseStreamId(lastEventId) === undefined) {
      const replay = await this.#commands.xrange(key, "-", "+");
      return { gap: { requestedId: lastEventId, oldestId: replay[0]?.[0], reason: "malformed" }, cursor: ORIGIN_STREAM_ID, replay };
    }
    // One transaction, so the facts and the entries describe the same moment.
    const results = await this.#commands.multi().xinfo("STREAM", key).xrange(key, lastEventId, "+").exec();
    if (results === null) throw new Error("the XINFO/XRANGE transaction was aborted");
    const [[infoError, info] = [null, undefined], [rangeError, range] = [null, undefined]] = results;
    if (rangeError !== null) throw rangeError;
    const facts = toStreamFacts(infoError, info);
    const entries = range as RawEntry[];
    const held = entries[0]?.[0] === lastEventId;
    const gap = findGap(lastEventId, held, facts);
    if (gap === undefined) return { gap, cursor: lastEventId, replay: held ? entries.slice(1) : entries };
    // After a gap everything held is replayed; the range already is everything when it starts at the first entry.
    const replay = entries[0]?.[0] === facts.firstId ? entries : await this.#commands.xrange(key, "-", "+");
    return { gap: { ...gap, oldestId: replay[0]?.[0] }, cursor: ORIGIN_STREAM_ID, replay };
  }

  #fanOut(entries: readonly RawEntry[]): void {
    for (const [id, fields] of entries) {
      let event: StoredEvent;
      try {
        event = entryToStoredEvent(id, fields);
      } catch (error) {
        this.options.onError(error);
        continue;
      }
      this.#remember(event);
      const parsed = parseStreamId(id) as StreamId;
      for (const subscriber of this.#subscribers) {
        if (subscriber.pending !== undefined) {
          subscriber.pending.push({ event, id: parsed });
          continue;
        }
        if (subscriber.after !== undefined) {
          if (compareStreamIds(parsed, subscriber.after) <= 0) continue;
          subscriber.after = undefined;
        }
        try {
          subscriber.handlers.onEvent(event);
        } catch (error) {
          // One broken subscriber must not stop delivery to the others.
          this.options.onError(error);
        }
      }
    }
  }

  #remember(event: StoredEvent): void {
    this.#recent.set(event.id, event);
    if (this.#recent.size > this.options.historySize) {
      this.#recent.delete(this.#recent.keys().next().value as string);
    }
  }

  /** Ends every live subscription; those still reading their replay fail with BROKER_CLOSED instead. */
  #endAll(): void {
    for (const subscriber of [...this.#subscribers]) {
      if (subscriber.pending !== undefined) continue;
      this.#subscribers.delete(subscriber);
      try {
        subscriber.handlers.onClose?.();
      } catch (error) {
        this.options.onError(error);
      }
    }
  }
}

function closedError(): SseError {
  return new SseError("BROKER_CLOSED", "the broker is closed; create a new RedisBroker to publish or subscribe again");
}
