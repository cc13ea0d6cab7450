import { createConnection, type RedisConnection, unavailable, whenReady } from "./connection.ts";
import type { ResolvedRedisBrokerOptions } from "./options.ts";
import { compareRedisIds, ORIGIN_STREAM_ID } from "./stream-id.ts";
import { type StreamFacts, toStreamFacts } from "./stream-info.ts";

/** One stream entry as Redis returns it: its id and its flat `[field, value, …]` list. */
export type RawEntry = readonly [id: string, fields: readonly string[]];

/** What the reader tells its owner. */
export interface StreamReaderHandlers {
  /** New entries, in stream order, each exactly once (unless history was reset). */
  onEntries(entries: readonly RawEntry[]): void;
  /**
   * The stream is not the one the reader left (Redis restarted without its data, or the key
   * was deleted): the reader starts again from its first entry, whose ids may sort below
   * ids already delivered.
   */
  onReset(): void;
  /** Entries the reader had not read yet were trimmed away while it was disconnected. */
  onMissed(afterId: string, oldestId: string | undefined): void;
  /** A background failure, reported once per outage. */
  onError(error: unknown): void;
}

/**
 * The one blocking reader of a node: `XREAD BLOCK` on a dedicated connection, tailing the
 * node-wide live stream from the last id it read and handing every new entry to the broker's
 * fan-out. After a reconnect it resumes where it stopped and checks whether the stream it
 * comes back to is still the one it left.
 */
export class StreamReader {
  readonly #options: ResolvedRedisBrokerOptions;
  readonly #key: string;
  readonly #handlers: StreamReaderHandlers;
  readonly #connection: RedisConnection;
  #lastId: string = ORIGIN_STREAM_ID;
  #loop: Promise<void> | undefined;
  #starting: Promise<void> | undefined;
  #stopped = false;
  /** Set when the connection drops: the stream must be re-checked before reading again. */
  #reconnected = false;
  #failing = false;
  #wake: (() => void) | undefined;

  /** @param key The stream to tail (the live stream). */
  constructor(options: ResolvedRedisBrokerOptions, key: string, handlers: StreamReaderHandlers) {
    this.#options = options;
    this.#key = key;
    this.#handlers = handlers;
    this.#connection = createConnection(options, "reader", () => {
      // Connection errors surface through the failed XREAD; the listener only keeps ioredis quiet.
    });
    this.#connection.on("close", () => {
      this.#reconnected = true;
    });
    this.#connection.on("ready", () => this.#wake?.());
  }

  /** The id of the newest entry handed out (or the position the reader started from). */
  get lastId(): string {
    return this.#lastId;
  }

  /** Whether the reader is running (it starts with the first subscription). */
  get started(): boolean {
    return this.#loop !== undefined;
  }

  /** Whether the reader's connection is up. */
  get connected(): boolean {
    return this.#connection.status === "ready";
  }

  /**
   * Starts reading from the stream's newest entry (idempotent). Resolves once the start
   * position is known, so every entry added after that is delivered; rejects with
   * `BROKER_UNAVAILABLE` when Redis cannot be reached (a later call tries again).
   */
  start(): Promise<void> {
    if (this.#loop !== undefined) return Promise.resolve();
    this.#starting ??= this.#prime().then(
      () => {
        this.#loop = this.#run();
      },
      (error: unknown) => {
        this.#starting = undefined;
        throw unavailable("start the stream reader", this.#options.url, error);
      },
    );
    return this.#starting;
  }

  /** Stops reading and closes the connection. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    this.#connection.disconnect();
    await this.#loop;
  }

  async #prime(): Promise<void> {
    // Unlike a publish, a first subscription may wait out a reconnect delay of the reader alone.
    await whenReady(this.#connection, this.#options.commandTimeoutMs, false);
    const facts = await this.#facts();
    this.#lastId = facts.lastGeneratedId;
    this.#reconnected = false;
  }

  async #run(): Promise<void> {
    const { blockMs, readCount } = this.#options;
    while (!this.#stopped) {
      try {
        if (this.#connection.status !== "ready") {
          await this.#until(() => this.#connection.status === "ready", undefined);
          continue;
        }
        if (this.#reconnected) await this.#recheck();
        const reply = await this.#connection.xread("COUNT", readCount, "BLOCK", blockMs, "STREAMS", this.#key, this.#lastId);
        this.#failing = false;
        const entries = reply?.[0]?.[1];
        if (entries === undefined || entries.length === 0 || this.#stopped) continue;
        this.#lastId = (entries[entries.length - 1] as RawEntry)[0];
        this.#handlers.onEntries(entries);
      } catch (error) {
        if (this.#stopped) break;
        if (!this.#failing) this.#handlers.onError(unavailable("read the event stream", this.#options.url, error));
        this.#failing = true;
        // A command error on a live connection (e.g. the key holds another type): retry later, not in a hot loop.
        if (this.#connection.status === "ready") await this.#until(() => false, this.#options.reconnect.maxDelayMs);
      }
    }
  }

  /** After a reconnect: is the stream still the one the reader left? */
  async #recheck(): Promise<void> {
    const facts = await this.#facts();
    this.#reconnected = false;
    if (!facts.exists || compareRedisIds(facts.lastGeneratedId, this.#lastId) < 0) {
      // A different history (Redis lost its data and its clock is behind our ids): read all of
      // it, since every entry was written after the reader left; a duplicate beats a silent loss.
      this.#lastId = ORIGIN_STREAM_ID;
      this.#handlers.onReset();
    } else if (facts.trimmed !== false && facts.firstId !== undefined && compareRedisIds(facts.firstId, this.#lastId) > 0) {
      this.#handlers.onMissed(this.#lastId, facts.firstId);
    }
  }

  async #facts(): Promise<StreamFacts> {
    try {
      return toStreamFacts(null, await this.#connection.xinfo("STREAM", this.#key));
    } catch (error) {
      return toStreamFacts(error instanceof Error ? error : new Error(String(error)), undefined);
    }
  }

  /** Waits until `ready()` holds (re-tested on each wake-up), `timeoutMs` passes, or the reader stops. */
  async #until(ready: () => boolean, timeoutMs: number | undefined): Promise<void> {
    while (!this.#stopped && !ready()) {
      const woken = await new Promise<boolean>((resolve) => {
        const timer = timeoutMs === undefined ? undefined : setTimeout(() => resolve(false), timeoutMs);
        this.#wake = (): void => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      this.#wake = undefined;
      if (!woken) return;
    }
  }
}
