/**
 * The Redis keys of one broker history, all under one prefix (the `streamKey` option), so
 * apps sharing a Redis never meet and a Redis Cluster hash tag in the prefix (`{myapp}:events`)
 * keeps every key of a history in one slot, as the Lua scripts need.
 */

/** The keys of one history. */
export interface BrokerKeys {
  /** The prefix itself (`streamKey`). */
  readonly prefix: string;
  /**
   * A hash: `last` (the newest id handed out, from which the publish script assigns the next),
   * `first` (the first id this history ever handed out: ids below it are of a lost history)
   * and `evicted-through` (the newest id any evicted or expired topic held).
   */
  readonly ids: string;
  /** The node-wide live stream every node's reader tails (`MAXLEN ~ liveStreamSize`). */
  readonly live: string;
  /** A sorted set of the retained topics scored by the id of their last publish (`<ms>.<seq fraction>`). */
  readonly recency: string;
  /** A sorted set of the retained topics, all scored 0, so `ZRANGEBYLEX` finds a prefix's topics. */
  readonly names: string;
  /** A hash: idempotency key -> `<entry id> <first topic>`. */
  readonly idempotencyIds: string;
  /** A sorted set: idempotency key scored by the time (ms) of the publish that stored it. */
  readonly idempotencyTimes: string;
  /** The stream holding one topic's history. */
  topic(name: string): string;
}

/** The keys of the history under `prefix`. */
export function brokerKeys(prefix: string): BrokerKeys {
  const topicPrefix = topicKeyPrefix(prefix);
  return Object.freeze({
    prefix,
    ids: `${prefix}:ids`,
    live: `${prefix}:live`,
    recency: `${prefix}:topics`,
    names: `${prefix}:topic-names`,
    idempotencyIds: `${prefix}:idempotency`,
    idempotencyTimes: `${prefix}:idempotency:at`,
    topic: (name: string): string => `${topicPrefix}${name}`,
  });
}

/** What every topic stream key starts with (the Lua scripts build evicted topics' keys with it). */
export function topicKeyPrefix(prefix: string): string {
  return `${prefix}:t:`;
}
