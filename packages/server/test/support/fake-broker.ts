/**
 * Test support: a {@link Broker} whose every answer the test decides. It stores events in
 * an array, hands out subscriptions it can end on demand, and fails publishes or subscribes
 * with whatever error the test gives it, so the service and the routes can be tested
 * without a real broker's timing.
 */
import {
  type Broker,
  type BrokerHealth,
  createStoredEvent,
  matchesTopic,
  type PublishInput,
  resolvePublishTopics,
  resolveSubscribeTopics,
  type SubscribedTopic,
  type StoredEvent,
  type SubscribeOptions,
  type SubscriberHandlers,
  type Subscription,
} from "@events/sse-core";

/** How a {@link FakeBroker} behaves. */
export interface FakeBrokerOptions {
  /** Offer `publishSync` (as the in-memory broker does), or only `publish`. @default true */
  readonly sync?: boolean;
}

/** A scriptable {@link Broker}: `failPublish`, `failSubscribe`, `end` and the recorded inputs drive a test. */
export class FakeBroker implements Broker {
  /** Every publish input received, in order (failed ones included). */
  readonly inputs: PublishInput[] = [];
  /** Every event stored, in order. */
  readonly stored: StoredEvent[] = [];
  /** The options of every subscribe, in order (failed ones included). */
  readonly subscribes: (SubscribeOptions | undefined)[] = [];
  readonly publishSync?: (input: PublishInput) => StoredEvent;
  readonly #subscribers = new Map<SubscriberHandlers, readonly SubscribedTopic[]>();
  readonly #keys = new Map<string, StoredEvent>();
  #publishError: unknown;
  #subscribeError: unknown;
  #closed = false;

  constructor(options: FakeBrokerOptions = {}) {
    if (options.sync !== false) this.publishSync = (input) => this.#store(input);
  }

  /** Makes every later publish throw (or reject with) `error`; `undefined` stores again. */
  failPublish(error: unknown): void {
    this.#publishError = error;
  }

  /** Makes every later subscribe reject with `error`; `undefined` subscribes again. */
  failSubscribe(error: unknown): void {
    this.#subscribeError = error;
  }

  /** Ends every subscription from the broker's side (as a broker that failed for good). */
  end(): void {
    for (const handlers of [...this.#subscribers.keys()]) {
      this.#subscribers.delete(handlers);
      handlers.onClose?.();
    }
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  publish(input: PublishInput): Promise<StoredEvent> {
    try {
      return Promise.resolve(this.#store(input));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  subscribe(handlers: SubscriberHandlers, options?: SubscribeOptions): Promise<Subscription> {
    this.subscribes.push(options);
    if (this.#subscribeError !== undefined) return Promise.reject(this.#subscribeError);
    let topics: readonly SubscribedTopic[];
    try {
      topics = resolveSubscribeTopics(options?.topics);
    } catch (error) {
      return Promise.reject(error);
    }
    const cursor = this.stored.at(-1)?.id ?? "fake-0";
    this.#subscribers.set(handlers, topics);
    handlers.onOpen?.({ cursor, replayed: 0, gap: undefined });
    const subscribers = this.#subscribers;
    return Promise.resolve({ cursor, replayed: 0, gap: undefined, unsubscribe: () => void subscribers.delete(handlers) });
  }

  health(): BrokerHealth {
    return { ok: this.#publishError === undefined, detail: `fake: ${this.stored.length} events` };
  }

  close(): Promise<void> {
    this.#closed = true;
    this.end();
    return Promise.resolve();
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  #store(input: PublishInput): StoredEvent {
    this.inputs.push(input);
    if (this.#publishError !== undefined) throw this.#publishError;
    const key = input.idempotencyKey;
    const seen = key === undefined ? undefined : this.#keys.get(key);
    if (seen !== undefined) return seen;
    const event = createStoredEvent(`fake-${this.stored.length + 1}`, input.event ?? "message", input.data, resolvePublishTopics(input.topics));
    this.stored.push(event);
    if (key !== undefined) this.#keys.set(key, event);
    for (const [handlers, topics] of this.#subscribers) {
      const topic = event.topics.find((name) => topics.some((subscribed) => matchesTopic(subscribed.pattern, name)));
      if (topic !== undefined) handlers.onEvent(event, topic);
    }
    return event;
  }
}
