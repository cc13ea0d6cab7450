import { SseError } from "@events/sse-core";
import { Redis, ReplyError } from "ioredis";
import type { ResolvedRedisBrokerOptions } from "./options.ts";

/** A Redis connection as this package uses it (an ioredis client). */
export type RedisConnection = Redis;

/**
 * Opens (lazily) one connection to Redis, configured to fail fast: no offline queue, no
 * retry of a command whose connection dropped (an `XADD` resent after a drop could store
 * an event twice), and a socket timeout that turns a half-open connection into a reconnect.
 * It reconnects by itself with exponential backoff and jitter.
 *
 * @param role `"commands"` for publish and replay, `"reader"` for the one blocking `XREAD`.
 */
export function createConnection(
  options: ResolvedRedisBrokerOptions,
  role: "commands" | "reader",
  onError: (error: Error) => void,
): RedisConnection {
  const { initialDelayMs, maxDelayMs } = options.reconnect;
  const connection = new Redis(options.url, {
    lazyConnect: true,
    // Replies are parsed as RESP2 shapes (XINFO STREAM as a flat field/value list).
    protocol: 2,
    connectionName: `events-${role}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: options.commandTimeoutMs,
    // A blocking XREAD legitimately waits blockMs for its reply; anything longer means the peer is gone.
    socketTimeout: role === "reader" ? options.blockMs + options.commandTimeoutMs : options.commandTimeoutMs,
    ...(role === "commands" ? { commandTimeout: options.commandTimeoutMs } : {}),
    retryStrategy: (attempt: number): number => {
      const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt - 1, 20));
      // "Equal jitter": at least half the delay, so a fleet of nodes does not reconnect in lockstep.
      return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    },
  });
  // Without a listener ioredis prints every connection error to the console.
  connection.on("error", onError);
  return connection;
}

/**
 * Resolves once `connection` is ready. Starts a lazy connection; waits up to `timeoutMs` for
 * one being established. With `failFast` (the default) it rejects at once while the
 * connection is known to be down (reconnecting), so a publish fails fast instead of waiting
 * for Redis to come back; without it, it waits through reconnect attempts until the timeout.
 */
export function whenReady(connection: RedisConnection, timeoutMs: number, failFast = true): Promise<void> {
  if (connection.status === "ready") return Promise.resolve();
  if (connection.status === "wait") connection.connect().catch(ignore);
  const establishing = connection.status === "connecting" || connection.status === "connect";
  if (connection.status === "end" || (failFast && !establishing)) {
    return Promise.reject(new Error(`connection is ${connection.status}`));
  }
  return new Promise<void>((resolve, reject) => {
    const waiter: Waiter = {
      failFast,
      settle: (error) => {
        clearTimeout(timer);
        removeWaiter(connection, waiter);
        if (error === undefined) resolve();
        else reject(error);
      },
    };
    const timer = setTimeout(() => waiter.settle(new Error(`not connected within ${timeoutMs} ms`)), timeoutMs);
    addWaiter(connection, waiter);
  });
}

/** One caller of {@link whenReady} waiting on a connection. */
interface Waiter {
  readonly failFast: boolean;
  settle(error: Error | undefined): void;
}

/**
 * The callers waiting on each connection, behind ONE `ready` and one `close` listener per
 * connection: a storm of subscribes (hundreds of clients reconnecting at once) would otherwise
 * add a listener pair each and trip Node's MaxListenersExceededWarning.
 */
const waiting = new WeakMap<RedisConnection, { waiters: Set<Waiter>; onReady: () => void; onClose: () => void }>();

function addWaiter(connection: RedisConnection, waiter: Waiter): void {
  let entry = waiting.get(connection);
  if (entry === undefined) {
    const waiters = new Set<Waiter>();
    const onReady = (): void => {
      for (const each of [...waiters]) each.settle(undefined);
    };
    const onClose = (): void => {
      for (const each of [...waiters]) if (each.failFast) each.settle(new Error("connection closed while connecting"));
    };
    entry = { waiters, onReady, onClose };
    waiting.set(connection, entry);
    connection.on("ready", onReady);
    connection.on("close", onClose);
  }
  entry.waiters.add(waiter);
}

function removeWaiter(connection: RedisConnection, waiter: Waiter): void {
  const entry = waiting.get(connection);
  if (entry === undefined) return;
  entry.waiters.delete(waiter);
  if (entry.waiters.size > 0) return;
  connection.off("ready", entry.onReady);
  connection.off("close", entry.onClose);
  waiting.delete(connection);
}

/** Wraps a Redis failure into the broker's `BROKER_UNAVAILABLE` error. */
export function unavailable(action: string, url: string, cause: unknown): SseError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new SseError(
    "BROKER_UNAVAILABLE",
    `redis: cannot ${action} (${reason}); check that Redis is running at ${redactUrl(url)}, the broker reconnects by itself`,
    { cause },
  );
}

/**
 * Wraps a failed publish command: `BROKER_UNAVAILABLE` when Redis surely did not store the
 * event, `PUBLISH_UNCONFIRMED` when it may have. Surely not stored: the command was never
 * written (ioredis refuses to write while the connection is down, as the offline queue is
 * off), or Redis answered with an error (the publish script fails before its first write).
 * Anything else (a timeout, the connection dropping before the answer) means the command
 * may be in Redis's buffers and may still be stored.
 */
export function publishFailure(url: string, cause: unknown): SseError {
  const notSent = cause instanceof Error && cause.message === NOT_WRITTEN_MESSAGE;
  if (notSent || cause instanceof ReplyError) return unavailable("store the event", url, cause);
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new SseError(
    "PUBLISH_UNCONFIRMED",
    `redis: the event may or may not have been stored (${reason}); retry with the same idempotency key to store it at most once, Redis at ${redactUrl(url)}`,
    { cause },
  );
}

/** What ioredis 6 rejects a command with when it did not write it (`enableOfflineQueue: false`). */
const NOT_WRITTEN_MESSAGE = "Stream isn't writeable and enableOfflineQueue options is false";

/** The URL without its password, for messages and health details. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*):[^@/]*@/, "//$1:***@");
}

function ignore(): void {}
